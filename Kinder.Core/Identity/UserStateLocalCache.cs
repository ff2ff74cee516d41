using System.Collections.Concurrent;
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
public sealed class UserStateLocalCache(IConnectionMultiplexer redis, TimeProvider time) : IHostedService
{
    public static readonly RedisChannel ChangedChannel = RedisChannel.Literal("kinder:user-state:changed");
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<Guid, (UserSecurityState.Facts Facts, long ExpiresAt)> entries = new();
    private long generation; // moves on every drop, so a read that raced a change is not kept
    private ChannelMessageQueue? changes;

    /// <summary>Read before fetching facts and hand to <see cref="Set"/>: a drop in between keeps the fetched facts out.</summary>
    public long Generation => Interlocked.Read(ref generation);

    public bool TryGet(Guid userId, out UserSecurityState.Facts facts)
    {
        if (entries.TryGetValue(userId, out var entry) && time.GetTimestamp() < entry.ExpiresAt)
        {
            facts = entry.Facts;
            return true;
        }
        facts = null!;
        return false;
    }

    public void Set(Guid userId, UserSecurityState.Facts facts, long readAtGeneration)
    {
        entries[userId] = (facts, time.GetTimestamp() + (long)(Lifetime.TotalSeconds * time.TimestampFrequency));
        // A change announced while the facts were read: they may predate it.
        if (Generation != readAtGeneration)
            entries.TryRemove(userId, out _);
    }

    public void Drop(Guid userId)
    {
        Interlocked.Increment(ref generation);
        entries.TryRemove(userId, out _);
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
}
