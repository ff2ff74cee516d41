using Kinder.Realtime;
using Kinder.Realtime.Memory;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kinder.Tests.Realtime;

/// <summary>When Realtime gives the heap back: after growth, once quiet; never under load or without growth.</summary>
public sealed class IdleHeapTrimTests
{
    private const long MB = 1024 * 1024;

    private static readonly IdleTrimOptions Options = new() { QuietAllocationBytesPerSecond = 1 * MB, MinimumGrowthBytes = 16 * MB };

    [Fact]
    public void A_quiet_process_whose_heap_grew_trims_and_the_next_trim_needs_new_growth()
    {
        var trim = new IdleHeapTrim(Options, committedBytes: 20 * MB);

        Assert.True(trim.ShouldTrim(allocatedBytesPerSecond: 100_000, committedBytes: 100 * MB));
        trim.Trimmed(60 * MB);

        Assert.Equal(60 * MB, trim.Baseline);
        Assert.False(trim.ShouldTrim(100_000, 70 * MB));
        Assert.True(trim.ShouldTrim(100_000, 76 * MB));
    }

    [Fact]
    public void A_busy_process_never_trims_however_much_its_heap_grew()
    {
        var trim = new IdleHeapTrim(Options, 20 * MB);

        Assert.False(trim.ShouldTrim(allocatedBytesPerSecond: 50 * MB, committedBytes: 500 * MB));
        Assert.True(trim.ShouldTrim(allocatedBytesPerSecond: 0, committedBytes: 500 * MB));
    }

    [Fact]
    public void Growth_is_counted_from_the_lowest_the_heap_went_since_the_last_trim()
    {
        var trim = new IdleHeapTrim(Options, 60 * MB);

        Assert.False(trim.ShouldTrim(50 * MB, 30 * MB)); // the GC shrank by itself, under load
        Assert.Equal(30 * MB, trim.Baseline);
        Assert.True(trim.ShouldTrim(0, 47 * MB));
    }

    [Fact]
    public async Task The_service_collects_once_the_heap_grew_and_logs_what_it_gave_back()
    {
        // Quiet at any rate, a growth of one byte: the first check that sees the heap above its lowest trims.
        var settings = new RealtimeOptions { IdleTrim = { CheckInterval = TimeSpan.FromMilliseconds(50), QuietAllocationBytesPerSecond = long.MaxValue, MinimumGrowthBytes = 1 } };
        var log = new LogSink();
        var trimmer = new IdleHeapTrimmer(Microsoft.Extensions.Options.Options.Create(settings), TimeProvider.System, log);
        var collections = GC.CollectionCount(GC.MaxGeneration);

        await trimmer.StartAsync(CancellationToken.None);
        // The heap grows by what this test holds, 1 MB on the large object heap per check, until the trim comes. Other
        // tests share the process and its GC: a full collection of theirs may give back more than one step added
        // (the baseline follows it down), so one step alone is not certain to show as growth; held steps are.
        var held = new List<byte[]>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (log.Messages.IsEmpty && DateTime.UtcNow < deadline)
        {
            for (var i = 0; i < 4; i++) held.Add(new byte[256 * 1024]);
            GC.Collect(0); // the GC's committed figure (as of its last collection) now counts them
            await Task.Delay(50);
        }
        GC.KeepAlive(held);
        held.Clear();
        await trimmer.StopAsync(CancellationToken.None);

        var message = Assert.Single(log.Messages.Take(1));
        Assert.StartsWith("Idle heap trim: the GC held", message);
        Assert.True(GC.CollectionCount(GC.MaxGeneration) > collections);
    }

    private sealed class LogSink : ILogger<IdleHeapTrimmer>
    {
        public System.Collections.Concurrent.ConcurrentQueue<string> Messages { get; } = new();

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Messages.Enqueue(formatter(state, exception));
    }
}
