using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.SignalR.Client;

namespace Kinder.Bench.Chat;

/// <summary>
/// The reference scenario: clients in group (and direct) conversations, each sending one message per interval;
/// every <c>message:new</c> is timed against the send timestamp in its body.
/// </summary>
internal static class ChatBench
{
    private sealed record Incoming(Guid ConversationId, long Seq, string? Body, DateTimeOffset CreatedAt);

    /// <summary>"2 Realtime processes behind 1 URL": the replicas found, and the addresses the clients use.</summary>
    public static string Instances(BenchOptions options, ServiceSet services) =>
        $"{services.Realtime.Count} Realtime process(es) behind {options.Realtime.Count} URL(s)";

    public static async Task<int> RunAsync(BenchOptions options, ServiceSet services)
    {
        var histogram = new LatencyHistogram();
        // The two halves of the path, split at the time Workers stored the message (its createdAt): send → stored
        // (hub, produce, broker, Workers' fetch, persist) and stored → message:new (produce, broker, Realtime, socket).
        var toStored = new LatencyHistogram();
        var fromStored = new LatencyHistogram();
        var timestampAtStart = Stopwatch.GetTimestamp();
        long delivered = 0, deliveredMeasured = 0, sent = 0, sentMeasured = 0, expectedMeasured = 0, sendErrors = 0;
        var measuring = 0; // 0 warm-up, 1 measured, 2 after

        var rssBefore = services.RealtimeRss();
        var clock = Stopwatch.StartNew();
        var clients = await BenchWorld.CreateUsersAsync(options, options.Clients);
        Console.WriteLine($"Created {clients.Count} users in {clock.Elapsed.TotalSeconds:F1} s");
        clock.Restart();
        var (groups, directs) = await BenchWorld.CreateConversationsAsync(options, clients);
        Console.WriteLine($"Created {groups} group and {directs} direct conversations through the Api in {clock.Elapsed.TotalSeconds:F1} s");

        clock.Restart();
        var failed = await BenchWorld.ConnectAsync(options, clients, (_, connection) =>
            connection.On<Incoming>("message:new", message =>
            {
                Interlocked.Increment(ref delivered);
                // Body: "<Stopwatch timestamp> <1 if sent while measuring> …"
                var body = message.Body.AsSpan();
                var space = body.IndexOf(' ');
                if (space <= 0 || !long.TryParse(body[..space], NumberStyles.None, CultureInfo.InvariantCulture, out var sentAt)) return;
                if (body.Length > space + 1 && body[space + 1] == '1')
                {
                    var received = Stopwatch.GetTimestamp();
                    histogram.Record(Stopwatch.GetElapsedTime(sentAt, received));
                    var stored = Stopwatch.GetElapsedTime(timestampAtStart) - (DateTimeOffset.UtcNow - message.CreatedAt);
                    var sentOffset = Stopwatch.GetElapsedTime(timestampAtStart, sentAt);
                    toStored.Record(Max(stored - sentOffset, TimeSpan.Zero));
                    fromStored.Record(Max(Stopwatch.GetElapsedTime(timestampAtStart, received) - stored, TimeSpan.Zero));
                    Interlocked.Increment(ref deliveredMeasured);
                }
            }));
        var connected = clients.Count(client => client.Connection is not null);
        Console.WriteLine($"Connected {connected} clients to {Instances(options, services)} in {clock.Elapsed.TotalSeconds:F1} s ({failed} failed)");
        await Task.Delay(TimeSpan.FromSeconds(5)); // let allocations settle before reading RSS
        var rssConnected = services.RealtimeRss();

        using var stop = new CancellationTokenSource();
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 })
            { BaseAddress = options.Api, Timeout = TimeSpan.FromSeconds(30) };
        var senders = clients.Where(client => client.Connection is not null && client.Conversations.Count > 0)
            .Select(client => Task.Run(() => SendLoopAsync(client))).ToList();

        Console.WriteLine($"Sending: each client one message every {options.Interval.TotalSeconds:F1} s " +
                          $"(target {connected / options.Interval.TotalSeconds:F0} in/s); warm-up {options.Warmup.TotalSeconds:F0} s, " +
                          $"then measuring {options.Duration.TotalSeconds:F0} s…");
        await Task.Delay(options.Warmup);
        var cpuStart = services.CpuSeconds();
        var clientCpuStart = Report.ClientCpuSeconds();
        var machineStart = ProcessStats.MachineTicks();
        var window = Stopwatch.StartNew();
        Volatile.Write(ref measuring, 1);
        var progress = Task.Run(async () =>
        {
            long lastIn = 0, lastOut = 0;
            while (!stop.IsCancellationRequested && window.Elapsed < options.Duration)
            {
                await Task.Delay(TimeSpan.FromSeconds(10));
                var nowIn = Interlocked.Read(ref sentMeasured);
                var nowOut = Interlocked.Read(ref deliveredMeasured);
                Console.WriteLine($"  {window.Elapsed.TotalSeconds,5:F0} s  in {(nowIn - lastIn) / 10.0,7:F0}/s  out {(nowOut - lastOut) / 10.0,7:F0}/s  " +
                                  $"p99 so far {histogram.PercentileMs(0.99):F1} ms  send errors {Interlocked.Read(ref sendErrors)}");
                (lastIn, lastOut) = (nowIn, nowOut);
            }
        });
        await Task.Delay(options.Duration);
        Volatile.Write(ref measuring, 2);
        var elapsed = window.Elapsed.TotalSeconds;
        var cpuEnd = services.CpuSeconds();
        var clientCpuEnd = Report.ClientCpuSeconds();
        var machineEnd = ProcessStats.MachineTicks();
        await stop.CancelAsync();
        await Task.WhenAll(senders);
        await progress;

        // Drain: whatever was sent while measuring should still arrive; count what did not.
        var drain = Stopwatch.StartNew();
        while (Interlocked.Read(ref deliveredMeasured) < Interlocked.Read(ref expectedMeasured) && drain.Elapsed < TimeSpan.FromSeconds(30))
            await Task.Delay(200);
        var rssAfter = services.RealtimeRss();

        Console.WriteLine();
        Console.WriteLine($"Scenario: {connected} clients, {groups} groups of {options.GroupSize}, {directs} direct, one message per client every " +
                          $"{options.Interval.TotalSeconds:F1} s via {(options.SendViaApi ? "POST …/messages" : "hub SendMessage")}, " +
                          $"measured {elapsed:F0} s after {options.Warmup.TotalSeconds:F0} s warm-up, {Instances(options, services)}");
        Console.WriteLine($"Messages in:  {Interlocked.Read(ref sentMeasured) / elapsed,8:F1}/s  ({Interlocked.Read(ref sentMeasured)} accepted, {Interlocked.Read(ref sendErrors)} send errors in the whole run)");
        Console.WriteLine($"Messages out: {Interlocked.Read(ref deliveredMeasured) / elapsed,8:F1}/s  (message:new received: {Interlocked.Read(ref deliveredMeasured)} of {Interlocked.Read(ref expectedMeasured)} expected; " +
                          $"missing after drain: {Math.Max(0, Interlocked.Read(ref expectedMeasured) - Interlocked.Read(ref deliveredMeasured))})");
        Console.WriteLine($"Latency send → message:new (ms): p50 {histogram.PercentileMs(0.50):F1}  p95 {histogram.PercentileMs(0.95):F1}  " +
                          $"p99 {histogram.PercentileMs(0.99):F1}  max {histogram.MaxMs:F1}  ({histogram.Count} samples)");
        Console.WriteLine($"  of which send → stored by Workers: p50 {toStored.PercentileMs(0.50):F1}  p99 {toStored.PercentileMs(0.99):F1};  " +
                          $"stored → message:new: p50 {fromStored.PercentileMs(0.50):F1}  p99 {fromStored.PercentileMs(0.99):F1}");
        var machineBusy = 100.0 * (machineEnd.Busy - machineStart.Busy) / Math.Max(1, machineEnd.Total - machineStart.Total);
        Console.WriteLine($"CPU (% of one core, measured window): " + string.Join("  ", cpuEnd.Select(pair =>
            $"{pair.Key} {100 * (pair.Value - cpuStart.GetValueOrDefault(pair.Key)) / elapsed:F0}%")) +
            $"  client {100 * (clientCpuEnd - clientCpuStart) / elapsed:F0}%  | machine busy {machineBusy:F0}% of {Environment.ProcessorCount} cores");
        Console.WriteLine($"Realtime RSS: {Report.Megabytes(rssBefore)} before connecting, {Report.Megabytes(rssConnected)} with {connected} connections " +
                          $"({Report.KilobytesEach(rssConnected - rssBefore, connected):F1} KB per connection), {Report.Megabytes(rssAfter)} after the load " +
                          $"({Report.KilobytesEach(rssAfter - rssBefore, connected):F1} KB per connection); client RSS {Report.Megabytes(Report.ClientRss())}");

        await Parallel.ForEachAsync(clients.Where(client => client.Connection is not null), new ParallelOptions { MaxDegreeOfParallelism = 64 },
            async (client, _) => await client.Connection!.DisposeAsync());
        return 0;

        static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

        async Task SendLoopAsync(BenchClient client)
        {
            var connection = client.Connection!;
            var sequence = 0;
            try
            {
                // Spread the clients evenly over the interval.
                await Task.Delay(TimeSpan.FromTicks(Random.Shared.NextInt64(options.Interval.Ticks)), stop.Token);
                using var timer = new PeriodicTimer(options.Interval);
                do
                {
                    var (conversationId, members) = client.Conversations[sequence % client.Conversations.Count];
                    var measured = Volatile.Read(ref measuring) == 1;
                    var clientMessageId = $"{client.Index}-{++sequence}";
                    var body = $"{Stopwatch.GetTimestamp()} {(measured ? 1 : 0)} bench message {clientMessageId}";
                    try
                    {
                        if (options.SendViaApi)
                        {
                            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/conversations/{conversationId}/messages")
                            {
                                Content = JsonContent.Create(new { clientMessageId, type = "text", body }),
                            };
                            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", client.Token);
                            using var response = await http.SendAsync(request, CancellationToken.None);
                            if (response.StatusCode != HttpStatusCode.Accepted)
                                throw new HttpRequestException($"POST …/messages answered {(int)response.StatusCode}");
                        }
                        else
                        {
                            await connection.InvokeCoreAsync("SendMessage", typeof(object), [conversationId, clientMessageId, body], CancellationToken.None);
                        }
                        Interlocked.Increment(ref sent);
                        if (measured)
                        {
                            Interlocked.Increment(ref sentMeasured);
                            Interlocked.Add(ref expectedMeasured, members);
                        }
                    }
                    catch (Exception exception) when (exception is not OperationCanceledException)
                    {
                        if (Interlocked.Increment(ref sendErrors) <= 3) Console.Error.WriteLine($"send failed: {exception.Message}");
                    }
                } while (await timer.WaitForNextTickAsync(stop.Token));
            }
            catch (OperationCanceledException)
            {
                // Done.
            }
        }
    }
}
