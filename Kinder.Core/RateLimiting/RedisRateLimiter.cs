using System.Security.Cryptography;
using System.Text;
using StackExchange.Redis;

namespace Kinder.Core.RateLimiting;

/// <summary>
/// Fixed-window counters in Redis, so every instance of every host counts the same hits (login attempts per email
/// and address, sign-ups per address, …). One atomic script per hit: INCR, and PEXPIRE when the window opens.
/// Partitions are hashed: no email address or IP ends up readable in Redis.
/// </summary>
public sealed class RedisRateLimiter(IConnectionMultiplexer redis)
{
    private static readonly LuaScript Hit = LuaScript.Prepare("""
        local count = redis.call('INCRBY', @key, @cost)
        local ttl = redis.call('PTTL', @key)
        if ttl < 0 then
          redis.call('PEXPIRE', @key, @window)
          ttl = tonumber(@window)
        end
        return { count, ttl }
        """);

    // Only while the window is open: a DECR on an expired key would create one that never expires.
    private static readonly LuaScript Undo = LuaScript.Prepare("""
        if redis.call('EXISTS', @key) == 1 then
          return redis.call('DECRBY', @key, @cost)
        end
        return 0
        """);

    /// <summary>
    /// Counts one hit (or <paramref name="cost"/> units, e.g. bytes) against <paramref name="rule"/> in the named
    /// limit's partition; refused past the limit.
    /// </summary>
    public async Task<RateLimitDecision> HitAsync(string limit, string partition, RateLimitRule rule, long cost = 1)
    {
        var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(Hit,
            new { key = (RedisKey)Key(limit, partition), window = (long)rule.Window.TotalMilliseconds, cost }))!;
        var count = (long)result[0];
        var retryAfter = TimeSpan.FromMilliseconds((long)result[1]);
        return new RateLimitDecision(count <= rule.PermitLimit, count, retryAfter);
    }

    /// <summary>Takes back one hit (or <paramref name="cost"/> units) that turned out not to count (a login that succeeded).</summary>
    public Task UndoAsync(string limit, string partition, long cost = 1) =>
        redis.GetDatabase().ScriptEvaluateAsync(Undo, new { key = (RedisKey)Key(limit, partition), cost });

    private static string Key(string limit, string partition) =>
        $"kinder:rate:{limit}:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(partition)))}";
}
