using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Options;

namespace Kinder.Realtime.Memory;

/// <summary>
/// Gives the heap back once a burst is over. A connection storm leaves the GC holding what the storm's requests
/// allocated and promoted (negotiates, token checks, handshakes) next to the connections' own objects, and an instance
/// holding idle sockets allocates too little to collect it: its resident memory stays at the storm's high-water mark,
/// about twice what the idle connections keep alive. When the process has gone quiet after the heap grew, one
/// blocking, compacting, decommitting collection (<see cref="GCCollectionMode.Aggressive"/>) returns it — the idea of
/// the JVM's periodic collection on idle (JEP 346), and glibc's free native pages go back too. Under load the
/// allocation rate keeps it from running.
/// </summary>
public sealed class IdleHeapTrimmer(IOptions<RealtimeOptions> options, TimeProvider time, ILogger<IdleHeapTrimmer> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value.IdleTrim;
        if (!settings.Enabled)
        {
            return;
        }
        var trim = new IdleHeapTrim(settings, GC.GetGCMemoryInfo().TotalCommittedBytes);
        var allocated = GC.GetTotalAllocatedBytes();
        using var timer = new PeriodicTimer(settings.CheckInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var now = GC.GetTotalAllocatedBytes();
                var rate = (now - allocated) / settings.CheckInterval.TotalSeconds;
                allocated = now;
                var committed = GC.GetGCMemoryInfo().TotalCommittedBytes;
                if (!trim.ShouldTrim(rate, committed))
                {
                    continue;
                }
                var clock = Stopwatch.StartNew();
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
                TrimNativeHeap();
                var after = GC.GetGCMemoryInfo().TotalCommittedBytes;
                trim.Trimmed(after);
                allocated = GC.GetTotalAllocatedBytes();
                logger.LogInformation("Idle heap trim: the GC held {BeforeMegabytes:F1} MB, now {AfterMegabytes:F1} MB ({Milliseconds:F0} ms)",
                    committed / 1048576.0, after / 1048576.0, clock.Elapsed.TotalMilliseconds);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    // glibc keeps what native code freed (the JIT's scratch memory, the runtime's own allocations) in its arenas;
    // malloc_trim hands the free pages back. Not every libc has it (musl): then there is nothing to do.
    private static void TrimNativeHeap()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        try
        {
            MallocTrim(0);
        }
        catch (EntryPointNotFoundException)
        {
        }
        catch (DllNotFoundException)
        {
        }
    }

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);
}
