using Kinder.Core.RateLimiting;
using Kinder.Tests.Infrastructure;
using StackExchange.Redis;

namespace Kinder.Tests.Identity;

/// <summary>The shared limiter against the run's real Redis.</summary>
public sealed class RedisRateLimiterTests : IAsyncLifetime
{
    private ConnectionMultiplexer _redis = null!;
    private readonly string _partition = Guid.NewGuid().ToString();

    public async Task InitializeAsync() => _redis = await ConnectionMultiplexer.ConnectAsync(TestServers.Redis);

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    [Fact]
    public async Task Hits_past_the_limit_are_refused_until_the_window_ends()
    {
        var limiter = new RedisRateLimiter(_redis);
        var rule = new RateLimitRule(2, TimeSpan.FromMilliseconds(700));

        var decisions = new[]
        {
            await limiter.HitAsync("test", _partition, rule),
            await limiter.HitAsync("test", _partition, rule),
            await limiter.HitAsync("test", _partition, rule),
        };
        await Task.Delay(800);
        var afterWindow = await limiter.HitAsync("test", _partition, rule);

        Assert.Equal([true, true, false], decisions.Select(d => d.IsAllowed));
        Assert.InRange(decisions[2].RetryAfter, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(700));
        Assert.Equal(1, decisions[2].RetryAfterSeconds);
        Assert.True(afterWindow.IsAllowed);
        Assert.Equal(1, afterWindow.Count);
    }

    [Fact]
    public async Task Separate_instances_count_the_same_hits()
    {
        var rule = new RateLimitRule(3, TimeSpan.FromMinutes(1));

        await new RedisRateLimiter(_redis).HitAsync("test", _partition, rule);
        await using var otherConnection = await ConnectionMultiplexer.ConnectAsync(TestServers.Redis);
        var decision = await new RedisRateLimiter(otherConnection).HitAsync("test", _partition, rule);

        Assert.Equal(2, decision.Count);
    }

    [Fact]
    public async Task An_undone_hit_no_longer_counts()
    {
        var limiter = new RedisRateLimiter(_redis);
        var rule = new RateLimitRule(1, TimeSpan.FromMinutes(1));
        await limiter.HitAsync("test", _partition, rule);

        await limiter.UndoAsync("test", _partition);

        Assert.True((await limiter.HitAsync("test", _partition, rule)).IsAllowed);
    }

    [Fact]
    public async Task Partitions_are_not_readable_in_redis()
    {
        var email = $"someone-{Guid.NewGuid():N}@example.test";
        await new RedisRateLimiter(_redis).HitAsync("test", email, new RateLimitRule(1, TimeSpan.FromMinutes(1)));

        var keys = _redis.GetServers().Single().Keys(pattern: "kinder:rate:test:*").Select(k => k.ToString());
        Assert.DoesNotContain(keys, key => key.Contains(email, StringComparison.Ordinal));
    }
}
