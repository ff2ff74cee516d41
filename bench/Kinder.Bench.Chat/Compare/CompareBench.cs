using System.Diagnostics;
using System.Globalization;

namespace Kinder.Bench.Chat.Compare;

/// <summary>
/// <c>./kinder bench compare</c>: issue 16's scenarios against the running Kinder stack and the reference server
/// (bench/reference-chat, started here), in one world of the same users and rooms, each scenario A/B/A/B.
/// </summary>
internal static class CompareBench
{
    public static async Task<int> RunAsync(BenchOptions options, ServiceSet services)
    {
        // The scenarios are rooms of 10 and group conversations only.
        options = options with { GroupSize = 10, Direct = 0 };
        var all = CompareScenarios.All(options);
        var unknown = options.Scenarios.Except(all.Select(scenario => scenario.Name)).ToList();
        if (unknown.Count > 0)
        {
            Console.Error.WriteLine($"Unknown scenario(s) {string.Join(", ", unknown)}; known: {string.Join(", ", all.Select(scenario => scenario.Name))}.");
            return 2;
        }
        var scenarios = all.Where(scenario => options.Scenarios.Count == 0 || options.Scenarios.Contains(scenario.Name)).ToList();
        var loadBefore = LoadAverage();
        var started = DateTimeOffset.UtcNow;

        await using var reference = await ReferenceServer.StartAsync(options);
        Console.WriteLine($"Reference server: {reference.Url} (node pid {reference.Pid}, database {ReferenceServer.DatabaseName})");
        var clock = Stopwatch.StartNew();
        var world = await BenchWorld.CreateUsersAsync(options, scenarios.Max(scenario => scenario.Users));
        var (rooms, _) = await BenchWorld.CreateConversationsAsync(options, world);
        await reference.LoadWorldAsync(world);
        Console.WriteLine($"World: {world.Count} users in {rooms} rooms of 10, in Kinder (database and Api) and the reference, " +
                          $"in {clock.Elapsed.TotalSeconds:F1} s");
        var kinderClients = $"Kinder's sockets go to {string.Join(", ", options.Realtime)} ({ChatBench.Instances(options, services)})";
        Console.WriteLine(kinderClients);

        IChatSide[] sides = [new KinderSide(options, services), new ReferenceSide(reference, services.Infrastructure.GetValueOrDefault("postgres") is > 0 and var pid ? pid : null)];
        var report = new CompareReport();
        foreach (var scenario in scenarios)
        {
            for (var round = 1; round <= options.Rounds; round++)
            {
                var results = new List<ScenarioResult>();
                foreach (var side in sides)
                {
                    BenchWorld.RenewTokens(options, world.Take(scenario.Users)); // a run outlasts a token
                    Console.WriteLine($"{DateTimeOffset.UtcNow:HH:mm:ss} {scenario.Name} #{round} {side.Name} (load {LoadAverage()})…");
                    var result = await scenario.RunAsync(side, world);
                    Console.WriteLine("  " + string.Join("; ", result.Metrics.Select(metric => $"{metric.Name} {metric.Text}")));
                    results.Add(result);
                    await Task.Delay(TimeSpan.FromSeconds(3)); // let the last run's disconnects and writes settle
                }
                report.Add(scenario, round, results[0], results[1]);
            }
        }

        var header = $"""
            ## Kinder vs the reference server ({started:yyyy-MM-dd HH:mm} UTC)

            `./kinder bench compare {PublicArguments()}`:
            {Environment.ProcessorCount} cores, load average (1/5/15 min) {loadBefore} before and {LoadAverage()} after; {options.Rounds} round(s),
            Kinder then the reference in each; warm-up {options.Warmup.TotalSeconds:F0} s. {kinderClients}; the reference is
            one node process (bench/reference-chat) on the same PostgreSQL server. CPU is % of one core over the measured
            window; the bench client runs on the same machine. Kinder / reference is the ratio of the rounds' medians.
            """;
        var markdown = report.Markdown(header);
        Console.WriteLine();
        Console.WriteLine(markdown);
        if (options.Markdown is { } file)
        {
            await File.WriteAllTextAsync(file, markdown);
            Console.WriteLine($"Written to {file}");
        }
        return 0;
    }

    /// <summary>The command line for the report, without the mode and without secrets (key, connection string).</summary>
    private static string PublicArguments()
    {
        var arguments = Environment.GetCommandLineArgs().Skip(1).ToList();
        var shown = new List<string>();
        for (var i = 0; i < arguments.Count; i++)
        {
            if (arguments[i] is "--jwt-key" or "--db" or "--connection" or "--mode") i++;
            else if (!arguments[i].StartsWith("--Parameters", StringComparison.OrdinalIgnoreCase)) shown.Add(arguments[i]);
        }
        return string.Join(' ', shown);
    }

    private static string LoadAverage() =>
        string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
}
