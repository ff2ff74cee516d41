using System.Diagnostics;
using System.Globalization;
using Kinder.Messaging;

namespace Kinder.Bench.Chat.Compare;

/// <summary>
/// Kinder's chat path hop by hop over a measured window, from the services' own <c>Kinder.Messaging</c> histograms
/// (Kinder.Messaging/MessagingTelemetry.cs) read with dotnet-counters (the repository's local tool): the hub's publish
/// to <c>messages.incoming</c>, a record's age when Workers start on it, Workers' persist and announce, the age of
/// <c>messages.outgoing</c>'s record when Realtime starts on it, and Realtime's delivery to its sockets.
/// </summary>
/// <remarks>
/// One collection per process, whose one interval is the window, so each percentile is the window's. Record ages
/// start at the record's Kafka timestamp, whole milliseconds: they read up to 1 ms high. With several Realtime
/// processes the first one is read.
/// </remarks>
internal sealed class HopTimings
{
    private const string RealtimeGroup = "realtime"; // Realtime:ConsumerGroup's default (Kinder.Realtime's RealtimeOptions)

    private static readonly (string Label, string Role, string Instrument, string Destination, string? Group)[] Hops =
    [
        ("hub publish to messages.incoming", "realtime", MessagingTelemetry.PublishDurationName, Topics.MessagesIncoming, null),
        ("messages.incoming record age at Workers", "workers", MessagingTelemetry.RecordAgeName, Topics.MessagesIncoming, ChatPathGroups.Processor),
        ("Workers persist + announce", "workers", MessagingTelemetry.ProcessDurationName, Topics.MessagesIncoming, ChatPathGroups.Processor),
        ("messages.outgoing record age at Realtime", "realtime", MessagingTelemetry.RecordAgeName, Topics.MessagesOutgoing, RealtimeGroup),
        ("Realtime delivery to sockets", "realtime", MessagingTelemetry.ProcessDurationName, Topics.MessagesOutgoing, RealtimeGroup),
    ];

    private readonly List<(string Role, Process Process, string Csv)> collections = [];

    private HopTimings()
    {
    }

    /// <summary>Starts reading Realtime's and Workers' histograms for <paramref name="window"/>; null if it cannot.</summary>
    public static HopTimings? Start(ServiceSet services, TimeSpan window)
    {
        var timings = new HopTimings();
        var seconds = Math.Max(1, (int)Math.Round(window.TotalSeconds));
        foreach (var (role, pid) in new[] { ("realtime", services.Realtime.Cast<int?>().FirstOrDefault()), ("workers", services.Workers) })
        {
            if (pid is not { } processId) continue;
            var csv = Path.Combine(Path.GetTempPath(), $"kinder-hops-{role}-{Guid.NewGuid():N}.csv");
            var start = new ProcessStartInfo("dotnet")
            {
                // The collection's one interval is the window; it stops a little after that interval is written.
                ArgumentList =
                {
                    "dotnet-counters", "collect", "--process-id", processId.ToString(CultureInfo.InvariantCulture),
                    "--counters", MessagingTelemetry.MeterName, "--format", "csv", "--output", csv,
                    "--refresh-interval", seconds.ToString(CultureInfo.InvariantCulture),
                    "--duration", TimeSpan.FromSeconds(seconds + 3).ToString(@"dd\:hh\:mm\:ss", CultureInfo.InvariantCulture),
                },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = AppContext.BaseDirectory, // inside the checkout: its tool manifest is found
            };
            try
            {
                var process = Process.Start(start)!;
                process.StandardOutput.ReadToEndAsync();
                process.StandardError.ReadToEndAsync();
                timings.collections.Add((role, process, csv));
            }
            catch (Exception exception) when (exception is System.ComponentModel.Win32Exception or InvalidOperationException)
            {
                Console.Error.WriteLine($"  hop timings: dotnet-counters did not start ({exception.Message}); `dotnet tool restore` installs it");
                return null;
            }
        }
        return timings.collections.Count == 0 ? null : timings;
    }

    /// <summary>Waits for the collections, then adds each hop's p50 and p99 (ms) to <paramref name="result"/>.</summary>
    public async Task AddToAsync(ScenarioResult result)
    {
        var rows = new List<(string Role, string Name, double Value)>();
        foreach (var (role, process, csv) in collections)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
            }
            if (!File.Exists(csv)) continue;
            foreach (var line in File.ReadLines(csv).Skip(1))
            {
                // Timestamp,Provider,Counter Name,Counter Type,Mean/Increment — the name holds no comma.
                var fields = line.Split(',');
                if (fields.Length == 5 && double.TryParse(fields[4], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                    rows.Add((role, fields[2], value));
            }
            File.Delete(csv);
        }

        foreach (var (label, role, instrument, destination, group) in Hops)
        {
            foreach (var percentile in new[] { 50, 99 })
            {
                var match = rows.LastOrDefault(row => row.Role == role && row.Name.StartsWith(instrument + " (s)[", StringComparison.Ordinal)
                    && row.Name.Contains($"messaging.destination.name={destination};", StringComparison.Ordinal)
                    && (group is null || row.Name.Contains($"messaging.consumer.group.name={group};", StringComparison.Ordinal))
                    && row.Name.EndsWith($";Percentile={percentile}]", StringComparison.Ordinal));
                result.Add($"hop: {label} p{percentile} ms", match.Name is null ? double.NaN : match.Value * 1000, "F1");
            }
        }
    }
}
