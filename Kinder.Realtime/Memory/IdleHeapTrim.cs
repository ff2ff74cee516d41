namespace Kinder.Realtime.Memory;

/// <summary>
/// When to give the heap back: the process has gone quiet (it allocated less than
/// <see cref="IdleTrimOptions.QuietAllocationBytesPerSecond"/> over the last check) and the GC holds at least
/// <see cref="IdleTrimOptions.MinimumGrowthBytes"/> more than after the last trim. A pure decision, so it is tested apart
/// from the GC.
/// </summary>
public sealed class IdleHeapTrim(IdleTrimOptions options, long committedBytes)
{
    private long _baseline = committedBytes;

    /// <summary>What the GC held after the last trim (or at start, or when it shrank below that by itself).</summary>
    public long Baseline => _baseline;

    /// <summary>True when a full compacting collection should run now.</summary>
    public bool ShouldTrim(double allocatedBytesPerSecond, long committedBytes)
    {
        if (committedBytes < _baseline)
        {
            _baseline = committedBytes;
        }
        return allocatedBytesPerSecond <= options.QuietAllocationBytesPerSecond
               && committedBytes - _baseline >= options.MinimumGrowthBytes;
    }

    /// <summary>Records what the GC holds after a trim, the baseline for the next.</summary>
    public void Trimmed(long committedBytes) => _baseline = committedBytes;
}
