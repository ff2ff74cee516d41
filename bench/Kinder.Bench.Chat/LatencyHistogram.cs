namespace Kinder.Bench.Chat;

/// <summary>Lock-free latency histogram: 0.1 ms buckets up to 30 s (later ones land in the last bucket), exact max.</summary>
public sealed class LatencyHistogram
{
    private const double BucketMs = 0.1;
    private readonly long[] _buckets = new long[300_000];
    private long _count;
    private long _maxTicks;

    public long Count => Interlocked.Read(ref _count);

    public void Record(TimeSpan latency)
    {
        var bucket = (int)Math.Clamp(latency.TotalMilliseconds / BucketMs, 0, _buckets.Length - 1);
        Interlocked.Increment(ref _buckets[bucket]);
        Interlocked.Increment(ref _count);
        var ticks = latency.Ticks;
        long max;
        while (ticks > (max = Interlocked.Read(ref _maxTicks)) &&
               Interlocked.CompareExchange(ref _maxTicks, ticks, max) != max)
        {
        }
    }

    public double MaxMs => TimeSpan.FromTicks(Interlocked.Read(ref _maxTicks)).TotalMilliseconds;

    /// <summary>The latency (upper bucket edge, ms) below which <paramref name="fraction"/> of the samples fall.</summary>
    public double PercentileMs(double fraction)
    {
        var count = Count;
        if (count == 0) return double.NaN;
        var rank = (long)Math.Ceiling(fraction * count);
        long seen = 0;
        for (var i = 0; i < _buckets.Length; i++)
        {
            seen += Interlocked.Read(ref _buckets[i]);
            if (seen >= rank) return Math.Min((i + 1) * BucketMs, MaxMs);
        }
        return MaxMs;
    }
}
