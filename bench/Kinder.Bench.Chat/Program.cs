using System.Diagnostics;
using System.Globalization;
using Kinder.Bench.Chat;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

if (args.Any(arg => arg is "--help" or "-h"))
{
    Console.WriteLine(BenchOptions.Usage);
    return 0;
}

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (Exception exception) when (exception is ArgumentException or FormatException or UriFormatException)
{
    Console.Error.WriteLine(exception.Message);
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}

// Thousands of connections and timers on two cores: do not let the pool's slow thread injection skew the figures.
ThreadPool.SetMinThreads(256, 256);

var services = ServiceSet.Find(options);
Console.WriteLine($"Services: {services.Describe()}");
return options.Mode == BenchMode.Idle
    ? await IdleBench.RunAsync(options, services)
    : await ChatBench.RunAsync(options, services);

/// <summary>The stack's processes: found by the port each listens on (Api, Realtime, Workers) and the runner's pid files.</summary>
internal sealed record ServiceSet(int? Api, IReadOnlyList<int> Realtime, int? Workers, IReadOnlyDictionary<string, int> Infrastructure)
{
    public static ServiceSet Find(BenchOptions options)
    {
        var realtime = options.Realtime.Select(url => ProcessStats.ListenerOf(url.Port)).OfType<int>().ToList();
        if (realtime.Count < options.Realtime.Count)
            Console.Error.WriteLine("warning: not every Realtime URL has a listening process here; its memory and CPU are not reported.");
        var files = ProcessStats.FromPidFiles(options.PidsDirectory);
        var infrastructure = new[] { "kafka", "postgres", "redis" }
            .Where(files.ContainsKey).ToDictionary(name => name, name => files[name]);
        int? workers = files.TryGetValue("workers", out var pid) ? pid : null;
        return new ServiceSet(ProcessStats.ListenerOf(options.Api.Port), realtime, workers, infrastructure);
    }

    public IEnumerable<(string Name, int Pid)> All()
    {
        if (Api is { } api) yield return ("api", api);
        for (var i = 0; i < Realtime.Count; i++) yield return (Realtime.Count == 1 ? "realtime" : $"realtime{i + 1}", Realtime[i]);
        if (Workers is { } workers) yield return ("workers", workers);
        foreach (var (name, pid) in Infrastructure) yield return (name, pid);
    }

    public string Describe() => string.Join(", ", All().Select(service => $"{service.Name}={service.Pid}"));

    public long RealtimeRss() => Realtime.Sum(ProcessStats.RssBytes);

    public Dictionary<string, double> CpuSeconds() =>
        All().ToDictionary(service => service.Name, service => ProcessStats.CpuSeconds(service.Pid));
}

internal static class Report
{
    public static string Megabytes(long bytes) => $"{bytes / 1024.0 / 1024.0:F1} MB";

    public static double ClientCpuSeconds() => Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;

    public static long ClientRss() => Environment.WorkingSet;
}
