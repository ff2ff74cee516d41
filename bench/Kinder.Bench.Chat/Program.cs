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
if (options.Instances)
{
    options = services.AtInstances(options);
    services = ServiceSet.Find(options);
    Console.WriteLine($"Clients use the instances: api {options.Api}, realtime {string.Join(", ", options.Realtime)}");
}
Console.WriteLine($"Services: {services.Describe()}");
return options.Mode switch
{
    BenchMode.Idle => await IdleBench.RunAsync(options, services),
    BenchMode.Conversations => await ConversationsBench.RunAsync(options, services),
    BenchMode.Compare => await Kinder.Bench.Chat.Compare.CompareBench.RunAsync(options, services),
    BenchMode.Sync => await SyncBench.RunAsync(options, services),
    BenchMode.Notifications => await NotificationsBench.RunAsync(options, services),
    _ => await ChatBench.RunAsync(options, services),
};

/// <summary>
/// The stack's processes, from a /proc scan: this checkout's Kinder.Api, Kinder.Realtime (every replica) and
/// Kinder.Workers builds, its Kinder.KafkaMock, the PostgreSQL server of its cluster, Redis on its port, and whatever
/// listens on the Api and Realtime URLs' ports when that is none of these (Aspire's proxy).
/// </summary>
internal sealed record ServiceSet(int? Api, IReadOnlyList<int> Realtime, int? Workers, IReadOnlyDictionary<string, int> Infrastructure,
    IReadOnlyList<int> Proxies)
{
    public static ServiceSet Find(BenchOptions options)
    {
        var stack = options.Stack;
        var found = ProcessStats.CommandLines().ToList();
        var root = stack.RepositoryRoot + Path.DirectorySeparatorChar;

        // A .NET program runs as its apphost (…/bin/Release/net10.0/Kinder.Api) or as "dotnet …/Kinder.Api.dll".
        bool IsBuildOf(string argument, string project) => argument.StartsWith(root, StringComparison.Ordinal) &&
                                                           Path.GetFileName(argument) is var file && (file == project || file == project + ".dll");
        List<int> Build(string project) => found
            .Where(process => process.Arguments.Take(2).Any(argument => IsBuildOf(argument, project)) && !process.Arguments.Contains("migrate"))
            .Select(process => process.Pid).ToList();

        var realtime = Build("Kinder.Realtime");
        if (realtime.Count == 0)
            Console.Error.WriteLine("warning: no Kinder.Realtime process of this checkout found; its memory and CPU are not reported.");

        var infrastructure = new Dictionary<string, int>();
        void Add(string name, IEnumerable<int> pids)
        {
            if (pids.FirstOrDefault() is var pid and > 0) infrastructure[name] = pid;
        }
        Add("kafka", Build("Kinder.KafkaMock"));
        Add("postgres", found.Where(process => Path.GetFileName(process.Arguments[0]) == "postgres" &&
                                               process.Arguments.SkipWhile(argument => argument != "-D").Skip(1).FirstOrDefault() == stack.PostgresDataDirectory)
            .Select(process => process.Pid));
        var redisPort = stack.RedisPort.ToString(CultureInfo.InvariantCulture);
        Add("redis", found.Where(process => Path.GetFileName(process.Arguments[0]).StartsWith("redis-server", StringComparison.Ordinal) &&
                                            (process.Arguments.SkipWhile(argument => argument != "--port").Skip(1).FirstOrDefault() == redisPort ||
                                             process.Arguments.Any(argument => argument.EndsWith($":{redisPort}", StringComparison.Ordinal))))
            .Select(process => process.Pid));

        int? api = Build("Kinder.Api") is [var apiPid, ..] ? apiPid : null;
        int? workers = Build("Kinder.Workers") is [var workersPid, ..] ? workersPid : null;
        var known = new HashSet<int>([.. realtime, .. infrastructure.Values]);
        if (api is { } apiProcess) known.Add(apiProcess);
        var proxies = options.Realtime.Append(options.Api).Select(url => ProcessStats.ListenerOf(url.Port))
            .OfType<int>().Where(pid => !known.Contains(pid)).Distinct().ToList();
        return new ServiceSet(api, realtime, workers, infrastructure, proxies);
    }

    public IEnumerable<(string Name, int Pid)> All()
    {
        if (Api is { } api) yield return ("api", api);
        for (var i = 0; i < Realtime.Count; i++) yield return (Realtime.Count == 1 ? "realtime" : $"realtime{i + 1}", Realtime[i]);
        if (Workers is { } workers) yield return ("workers", workers);
        foreach (var (name, pid) in Infrastructure) yield return (name, pid);
        for (var i = 0; i < Proxies.Count; i++) yield return (i == 0 ? "proxy" : $"proxy{i + 1}", Proxies[i]);
    }

    /// <summary>The options with the Api's and each Realtime replica's own address (past Aspire's proxy).</summary>
    public BenchOptions AtInstances(BenchOptions options)
    {
        Uri Own(int pid, string name) => ProcessStats.ListenUrlOf(pid)
            ?? throw new InvalidOperationException($"The {name} process {pid} has no http URL in ASPNETCORE_URLS.");
        return options with
        {
            Api = Api is { } api ? Own(api, "Api") : options.Api,
            Realtime = Realtime.Count > 0 ? [.. Realtime.Select(pid => Own(pid, "Realtime"))] : options.Realtime,
        };
    }

    public string Describe() => string.Join(", ", All().Select(service => $"{service.Name}={service.Pid}"));

    public long RealtimeRss() => Realtime.Sum(ProcessStats.RssBytes);

    public Dictionary<string, double> CpuSeconds() =>
        // The proxy's process may be the parent of the services (Aspire's DCP): only its own CPU.
        All().ToDictionary(service => service.Name,
            service => ProcessStats.CpuSeconds(service.Pid, withDescendants: !Proxies.Contains(service.Pid)));
}

internal static class Report
{
    public static string Megabytes(long bytes) => $"{MegabytesOf(bytes):F1} MB";

    public static double MegabytesOf(long bytes) => bytes / 1024.0 / 1024.0;

    /// <summary>Memory per connection (or per anything counted), in KB; zero of them counts as one.</summary>
    public static double KilobytesEach(long bytes, int count) => bytes / 1024.0 / Math.Max(1, count);

    public static double ClientCpuSeconds() => Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;

    public static long ClientRss() => Environment.WorkingSet;
}
