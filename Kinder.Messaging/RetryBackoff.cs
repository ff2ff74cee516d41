namespace Kinder.Messaging;

/// <summary>The one backoff of the event path (consumer retries, outbox relay): exponential, capped, with jitter.</summary>
public static class RetryBackoff
{
    /// <summary>
    /// <paramref name="baseDelay"/> doubled per attempt up to <paramref name="maxDelay"/>, then ±20 % at random, so
    /// replicas or rows failing on the same dependency at once do not all come back at the same instant.
    /// </summary>
    /// <param name="attempt">The attempt that failed, from 1.</param>
    public static TimeSpan Delay(TimeSpan baseDelay, TimeSpan maxDelay, int attempt)
    {
        var exponential = baseDelay * Math.Pow(2, Math.Clamp(attempt - 1, 0, 20));
        var capped = exponential < maxDelay ? exponential : maxDelay;
        return capped * (0.8 + Random.Shared.NextDouble() * 0.4);
    }
}
