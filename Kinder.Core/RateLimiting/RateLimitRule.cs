namespace Kinder.Core.RateLimiting;

/// <summary>At most <see cref="PermitLimit"/> hits per <see cref="Window"/> (a fixed window, starting at the first hit).</summary>
public sealed class RateLimitRule
{
    public int PermitLimit { get; set; }
    public TimeSpan Window { get; set; }

    public RateLimitRule()
    {
    }

    public RateLimitRule(int permitLimit, TimeSpan window) => (PermitLimit, Window) = (permitLimit, window);

    public bool IsValid => PermitLimit > 0 && Window > TimeSpan.Zero;
}

/// <summary>The answer to one hit: allowed or not, and when the window resets (what <c>Retry-After</c> says).</summary>
public readonly record struct RateLimitDecision(bool IsAllowed, long Count, TimeSpan RetryAfter)
{
    /// <summary>Whole seconds, rounded up, never zero: the value of a <c>Retry-After</c> header.</summary>
    public int RetryAfterSeconds => Math.Max(1, (int)Math.Ceiling(RetryAfter.TotalSeconds));
}
