using Kinder.Core.RateLimiting;
using Kinder.Tests.Infrastructure;
using StackExchange.Redis;

namespace Kinder.Tests.Identity;

/// <summary>The hot-path limiter (chat sends) against the run's real Redis: permits taken a few at a time.</summary>
public sealed class LeasedRateLimiterTests : IAsyncLifetime
{
    private ConnectionMultiplexer _redis = null!;
    private readonly string _partition = Guid.NewGuid().ToString();

    public async Task InitializeAsync() => _redis = await ConnectionMultiplexer.ConnectAsync(TestServers.Redis);

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    [Fact]
    public async Task One_process_gets_exactly_the_limit_and_asks_redis_once_per_lease()
    {
        var rule = new RateLimitRule(300, TimeSpan.FromMinutes(1));
        var limiter = new LeasedRateLimiter(new RedisRateLimiter(_redis), TimeProvider.System);

        var decisions = new List<RateLimitDecision>();
        for (var i = 0; i < 301; i++)
            decisions.Add(await limiter.HitAsync("test", _partition, rule));

        Assert.Equal(300, decisions.Count(d => d.IsAllowed));
        Assert.False(decisions[^1].IsAllowed);
        Assert.Equal(Enumerable.Range(1, 300).Select(n => (long)n), decisions.Take(300).Select(d => d.Count));
        Assert.InRange(decisions[^1].RetryAfter, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
        // 30 leases of 10 and the refused one: the shared counter moved by 310, in 31 round trips.
        Assert.Equal(310, (await new RedisRateLimiter(_redis).HitAsync("test", _partition, rule, cost: 0)).Count);
    }

    [Fact]
    public async Task Processes_sharing_a_budget_never_spend_more_than_the_limit_together()
    {
        var rule = new RateLimitRule(300, TimeSpan.FromMinutes(1));
        await using var otherConnection = await ConnectionMultiplexer.ConnectAsync(TestServers.Redis);
        var limiters = new[]
        {
            new LeasedRateLimiter(new RedisRateLimiter(_redis), TimeProvider.System),
            new LeasedRateLimiter(new RedisRateLimiter(otherConnection), TimeProvider.System),
        };

        var allowed = 0;
        for (var i = 0; i < 400; i++)
            allowed += (await limiters[(i / 7) % 2].HitAsync("test", _partition, rule)).IsAllowed ? 1 : 0;

        // Never more than the limit; short of it only by what the other process still holds unspent (< one lease).
        Assert.InRange(allowed, 300 - (LeasedRateLimiter.LeaseSizeFor(rule) - 1), 300);
    }

    [Fact]
    public async Task A_small_limit_is_counted_one_hit_at_a_time()
    {
        var rule = new RateLimitRule(2, TimeSpan.FromMinutes(1));
        var first = new LeasedRateLimiter(new RedisRateLimiter(_redis), TimeProvider.System);
        var second = new LeasedRateLimiter(new RedisRateLimiter(_redis), TimeProvider.System);

        Assert.Equal(1, LeasedRateLimiter.LeaseSizeFor(rule));
        Assert.True((await first.HitAsync("test", _partition, rule)).IsAllowed);
        Assert.True((await second.HitAsync("test", _partition, rule)).IsAllowed);
        Assert.False((await first.HitAsync("test", _partition, rule)).IsAllowed);
    }
}
