using Microsoft.Extensions.Caching.Memory;

namespace Kinder.Core.RateLimiting;

/// <summary>
/// A Redis fixed-window limit for hits on a hot path (every chat send): each process takes a few permits from the
/// shared Redis counter at once and spends them locally, so most hits cost no round trip. The limit still holds
/// across every instance of every host — a process never spends a permit Redis did not grant — but a user who spreads
/// sends over several processes may be refused a little early, by the permits another process holds unspent (at most
/// <see cref="LeaseSizeFor"/> − 1 each, until the window ends). Small limits are counted one hit at a time, exactly.
/// </summary>
public sealed class LeasedRateLimiter(RedisRateLimiter redis, TimeProvider time) : IDisposable
{
    private const int MaxLease = 10;

    // A lease lives one window from its first hit (no shorter than the window it holds permits of); the cache drops
    // the leases of users who stopped sending.
    private readonly MemoryCache leases = new(new MemoryCacheOptions());

    /// <summary>Permits taken per round trip: up to 10, and no more than a thirtieth of the limit (1 for small limits).</summary>
    public static int LeaseSizeFor(RateLimitRule rule) => Math.Clamp(rule.PermitLimit / 30, 1, MaxLease);

    public async Task<RateLimitDecision> HitAsync(string limit, string partition, RateLimitRule rule)
    {
        var size = LeaseSizeFor(rule);
        if (size == 1)
            return await redis.HitAsync(limit, partition, rule);

        var lease = leases.GetOrCreate($"{limit}:{partition}", entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = rule.Window;
            return new Lease();
        })!;
        var now = time.GetTimestamp();
        lock (lease)
        {
            if (lease.Remaining > 0 && now < lease.WindowEndsAt)
            {
                lease.Remaining--;
                return new RateLimitDecision(true, lease.Count++, time.GetElapsedTime(now, lease.WindowEndsAt));
            }
        }

        var decision = await redis.HitAsync(limit, partition, rule, cost: size);
        // The counter moved from Count − size to Count: the permits of those that fall within the limit are ours.
        var granted = (int)Math.Clamp(rule.PermitLimit - (decision.Count - size), 0, size);
        if (granted == 0)
            return decision with { IsAllowed = false };
        lock (lease)
        {
            lease.Remaining = granted - 1;
            lease.Count = decision.Count - size + 2;
            lease.WindowEndsAt = now + (long)(decision.RetryAfter.TotalSeconds * time.TimestampFrequency);
        }
        return new RateLimitDecision(true, decision.Count - size + 1, decision.RetryAfter);
    }

    public void Dispose() => leases.Dispose();

    private sealed class Lease
    {
        public int Remaining;
        public long Count;
        public long WindowEndsAt;
    }
}
