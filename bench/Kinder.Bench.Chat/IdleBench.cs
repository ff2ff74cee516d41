using System.Diagnostics;

namespace Kinder.Bench.Chat;

/// <summary>Ramps idle connections in steps and reports the Realtime processes' resident memory per connection.</summary>
internal static class IdleBench
{
    public static async Task<int> RunAsync(BenchOptions options, ServiceSet services)
    {
        if (services.Realtime.Count == 0)
        {
            Console.Error.WriteLine("No Kinder.Realtime process of this checkout found: memory cannot be measured.");
            return 1;
        }
        var clock = Stopwatch.StartNew();
        var clients = await BenchWorld.CreateUsersAsync(options, options.Clients);
        Console.WriteLine($"Created {clients.Count} users in {clock.Elapsed.TotalSeconds:F1} s");

        var baseline = services.RealtimeRss();
        Console.WriteLine($"Realtime RSS with no bench connections: {Report.Megabytes(baseline)}");
        Console.WriteLine(" connections   Realtime RSS   KB/connection (since 0)   KB/connection (this step)   client RSS   failed");
        var previous = baseline;
        var connected = 0;
        (int Connections, long Rss)? firstStep = null;
        var failedTotal = 0;
        var dropped = 0;
        var disposing = false;
        foreach (var step in clients.Chunk(options.Step))
        {
            // A connection the server closes (or loses) while the bench holds it is a drop.
            failedTotal += await BenchWorld.ConnectAsync(options, step, (_, connection) => connection.Closed += _ =>
            {
                if (!Volatile.Read(ref disposing)) Interlocked.Increment(ref dropped);
                return Task.CompletedTask;
            });
            var nowConnected = clients.Count(client => client.Connection is not null);
            await Task.Delay(TimeSpan.FromSeconds(3)); // let the server's allocations settle
            var rss = services.RealtimeRss();
            Console.WriteLine($"{nowConnected,12}   {Report.Megabytes(rss),12}   {Report.KilobytesEach(rss - baseline, nowConnected),23:F1}   " +
                              $"{Report.KilobytesEach(rss - previous, nowConnected - connected),25:F1}   {Report.Megabytes(Report.ClientRss()),10}   {failedTotal,6}");
            previous = rss;
            connected = nowConnected;
            firstStep ??= (connected, rss);
        }

        await Task.Delay(options.Hold);
        var final = services.RealtimeRss();
        Console.WriteLine();
        Console.WriteLine($"Idle: {connected} connections over {ChatBench.Instances(options, services)} ({failedTotal} failed, " +
                          $"{Volatile.Read(ref dropped)} dropped); Realtime RSS {Report.Megabytes(baseline)} → {Report.Megabytes(final)} after {options.Hold.TotalSeconds:F0} s idle = " +
                          $"{Report.KilobytesEach(final - baseline, connected):F1} KB per connection; client RSS {Report.Megabytes(Report.ClientRss())}");
        if (firstStep is { } first && connected > first.Connections)
        {
            // The slope after the first step leaves out what the first connections warm up (and heap left by earlier runs).
            Console.WriteLine($"Marginal: {Report.KilobytesEach(final - first.Rss, connected - first.Connections):F1} KB per connection " +
                              $"from {first.Connections} to {connected} connections");
        }

        Volatile.Write(ref disposing, true);
        await Parallel.ForEachAsync(clients.Where(client => client.Connection is not null), new ParallelOptions { MaxDegreeOfParallelism = 64 },
            async (client, _) => await client.Connection!.DisposeAsync());
        return 0;
    }
}
