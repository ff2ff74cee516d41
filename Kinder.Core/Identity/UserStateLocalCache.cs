using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;

namespace Kinder.Core.Identity;

/// <summary>
/// One process's memory of users' <see cref="UserSecurityState.Facts"/>, for a host that checks them on every call of
/// a long-lived connection (Realtime's hub filter) and should not ask Redis each time. An entry is dropped the moment
/// <see cref="UserSecurityState.InvalidateAsync"/> announces a change on <see cref="ChangedChannel"/>; everything is
/// dropped when the Redis connection comes back (an announcement may have been missed); and an entry lives at most
/// <see cref="Lifetime"/> in any case.
/// </summary>
public sealed class UserStateLocalCache(IConnectionMultiplexer redis) : IHostedService, IDisposable
{
    public static readonly RedisChannel ChangedChannel = RedisChannel.Literal("kinder:user-state:changed");
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);

    // Expired entries (users who left) are swept by the cache itself.
    private readonly MemoryCache entries = new(new MemoryCacheOptions());
    private long generation; // moves on every drop, so a read that raced a change is not kept
    private ChannelMessageQueue? changes;

    /// <summary>Read before fetching facts and hand to <see cref="Set"/>: a drop in between keeps the fetched facts out.</summary>
    public long Generation => Interlocked.Read(ref generation);

    public bool TryGet(Guid userId, out UserSecurityState.Facts facts)
    {
        facts = entries.Get<UserSecurityState.Facts>(userId)!;
        return facts is not null;
    }

    public void Set(Guid userId, UserSecurityState.Facts facts, long readAtGeneration)
    {
        entries.Set(userId, facts, Lifetime);
        // A change announced while the facts were read: they may predate it.
        if (Generation != readAtGeneration)
            entries.Remove(userId);
    }

    public void Drop(Guid userId)
    {
        Interlocked.Increment(ref generation);
        entries.Remove(userId);
    }

    public void DropAll()
    {
        Interlocked.Increment(ref generation);
        entries.Clear();
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        changes = await redis.GetSubscriber().SubscribeAsync(ChangedChannel);
        changes.OnMessage(message =>
        {
            if (Guid.TryParse(message.Message.ToString(), out var userId))
                Drop(userId);
        });
        redis.ConnectionRestored += OnConnectionRestored;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        redis.ConnectionRestored -= OnConnectionRestored;
        if (changes is not null)
            await changes.UnsubscribeAsync();
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e) => DropAll();

    public void Dispose() => entries.Dispose();
}
