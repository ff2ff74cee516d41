using Kinder.Core.Identity;
using Kinder.Tests.Infrastructure;
using Kinder.Tests.Messaging;
using StackExchange.Redis;

namespace Kinder.Tests.Identity;

/// <summary>Realtime's in-memory copy of users' facts, against the run's real Redis.</summary>
public sealed class UserStateLocalCacheTests : IAsyncLifetime
{
    private static readonly UserSecurityState.Facts Verified = new(true, ["user"]);
    private ConnectionMultiplexer _redis = null!;
    private UserStateLocalCache _cache = null!;

    public async Task InitializeAsync()
    {
        _redis = await ConnectionMultiplexer.ConnectAsync(TestServers.Redis);
        _cache = new UserStateLocalCache(_redis);
        await _cache.StartAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _cache.StopAsync(CancellationToken.None);
        _cache.Dispose();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task A_change_announced_by_any_process_drops_the_users_entry_and_only_theirs()
    {
        var (user, other) = (Guid.NewGuid(), Guid.NewGuid());
        _cache.Set(user, Verified, _cache.Generation);
        _cache.Set(other, Verified, _cache.Generation);
        Assert.True(_cache.TryGet(user, out var facts));
        Assert.Same(Verified, facts);

        // What UserSecurityState.InvalidateAsync announces after rewriting the Redis entry, from another connection.
        await using var api = await ConnectionMultiplexer.ConnectAsync(TestServers.Redis);
        await api.GetSubscriber().PublishAsync(UserStateLocalCache.ChangedChannel, user.ToString());

        await Eventually.TrueAsync(() => !_cache.TryGet(user, out _), "the announced user's entry is dropped");
        Assert.True(_cache.TryGet(other, out _));
    }

    [Fact]
    public void Facts_read_before_a_change_was_announced_are_not_kept()
    {
        var user = Guid.NewGuid();
        var readAt = _cache.Generation;

        _cache.Drop(user); // announced while the facts were being read

        _cache.Set(user, Verified, readAt);
        Assert.False(_cache.TryGet(user, out _));
        _cache.Set(user, Verified, _cache.Generation);
        Assert.True(_cache.TryGet(user, out _));
    }
}
