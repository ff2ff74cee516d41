using System.Diagnostics;
using System.Globalization;

namespace Kinder.Bench.Chat.Compare;

/// <summary>One figure of a run: a number (compared by ratio) or only text.</summary>
internal sealed record Metric(string Name, double? Value, string Text);

/// <summary>The figures of one scenario run against one side, in the order they are reported.</summary>
internal sealed class ScenarioResult
{
    public List<Metric> Metrics { get; } = [];

    public void Add(string name, double value, string format) =>
        Metrics.Add(new Metric(name, double.IsFinite(value) ? value : null,
            double.IsFinite(value) ? value.ToString(format, CultureInfo.InvariantCulture) : "–"));

    public void Text(string name, string text) => Metrics.Add(new Metric(name, null, text));

    public void Latency(string what, LatencyHistogram histogram)
    {
        Add($"{what} p50 ms", histogram.PercentileMs(0.50), "F1");
        Add($"{what} p95 ms", histogram.PercentileMs(0.95), "F1");
        Add($"{what} p99 ms", histogram.PercentileMs(0.99), "F1");
        Add($"{what} max ms", histogram.Count == 0 ? double.NaN : histogram.MaxMs, "F1");
    }

    public void Connected(int connected, int total, TimeSpan elapsed)
    {
        Text("connected", $"{connected} / {total}");
        Add("connect time s", elapsed.TotalSeconds, "F1");
    }

    public void Delivered(long delivered, long expected) =>
        Text("delivered / expected", string.Create(CultureInfo.InvariantCulture, $"{delivered:N0} / {expected:N0}"));

    /// <summary>CPU of each process and all together (% of one core), and per 1,000 of what was served.</summary>
    public void Cpu(CpuUsage usage, long served, string what)
    {
        Text("CPU by process, % of one core", string.Join(", ", usage.Seconds.Select(process =>
            string.Create(CultureInfo.InvariantCulture, $"{process.Key} {100 * process.Value / usage.Elapsed:F0}"))));
        Add("CPU total, % of one core", 100 * usage.Seconds.Values.Sum() / usage.Elapsed, "F0");
        Add($"CPU-ms per 1,000 {what}", served == 0 ? double.NaN : 1e6 * usage.Seconds.Values.Sum() / served, "F1");
        Add("bench client CPU, % of one core", 100 * usage.ClientSeconds / usage.Elapsed, "F0");
    }
}

/// <summary>CPU seconds each process of a side used in a window, the bench client's, and the window's length.</summary>
internal sealed record CpuUsage(Dictionary<string, double> Seconds, double ClientSeconds, double Elapsed);

/// <summary>Starts reading a side's CPU at construction; <see cref="Stop"/> ends the window.</summary>
internal sealed class CpuWindow(IChatSide side)
{
    private readonly Dictionary<string, double> _start = side.CpuSeconds();
    private readonly double _clientStart = Report.ClientCpuSeconds();
    private readonly long _started = Stopwatch.GetTimestamp();

    public CpuUsage Stop()
    {
        var elapsed = Stopwatch.GetElapsedTime(_started).TotalSeconds;
        var used = side.CpuSeconds().ToDictionary(process => process.Key, process => process.Value - _start.GetValueOrDefault(process.Key));
        return new CpuUsage(used, Report.ClientCpuSeconds() - _clientStart, elapsed);
    }
}
