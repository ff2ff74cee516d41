using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;

namespace Kinder.Bench.Chat.Compare;

/// <summary>One scenario of issue 16, run the same way against either side.</summary>
internal sealed record Scenario(string Name, string Title, int Users, Func<IChatSide, IReadOnlyList<BenchClient>, Task<ScenarioResult>> RunAsync);

/// <summary>
/// The scenarios of issue 16's baseline table. Every message body is "&lt;Stopwatch timestamp&gt; &lt;1 if sent while
/// measuring&gt; &lt;clientMessageId&gt;", so each <c>message:new</c> is timed against its send (one clock, one machine).
/// </summary>
internal static class CompareScenarios
{
    private const int RoomSize = 10; // BenchOptions.GroupSize's default: the world is made of rooms of 10
    private static readonly TimeSpan DrainLimit = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan EchoTimeout = TimeSpan.FromSeconds(30);

    // Every run's clientMessageIds are new: the world's users send again in every run, and Kinder answers a repeated
    // (user, clientMessageId) as the retry of the first send, without a new message:new.
    private static int _runs;

    public static IReadOnlyList<Scenario> All(BenchOptions options)
    {
        TimeSpan Measured(int seconds) => options.DurationGiven ? options.Duration : TimeSpan.FromSeconds(seconds);
        return
        [
            // First: RSS growth per socket reads true only while the server has no freed heap to reuse from a bigger load.
            new("idle", string.Create(CultureInfo.InvariantCulture, $"idle: {IdleSockets:N0} sockets"), IdleWarmup + IdleSockets,
                (side, world) => IdleAsync(side, world.Take(IdleWarmup).ToList(), world.Skip(IdleWarmup).Take(IdleSockets).ToList(), options)),
            new("fanout1000", "fan-out: 1,000 clients, 100 rooms of 10, one message each per 5 s", 1000,
                (side, world) => FanOutAsync(side, world.Take(1000).ToList(), options, Measured(60))),
            new("fanout200", "fan-out: 200 clients, 20 rooms of 10, one message each per 5 s", 200,
                (side, world) => FanOutAsync(side, world.Take(200).ToList(), options, Measured(60))),
            new("sends", "socket sends: 50 senders in a closed loop (rooms of 10)", 50 * RoomSize,
                (side, world) => SendsAsync(side, world.Take(50 * RoomSize).ToList(), 50, options, Measured(30))),
            new("conversations", "GET /conversations: 50 connections, closed loop", 50,
                (side, world) => ReadsAsync(side, side.ConversationsPath, world.Take(50).ToList(), options, Measured(20))),
            new("me", "GET /auth/me: 50 connections, closed loop", 50,
                (side, world) => ReadsAsync(side, side.MePath, world.Take(50).ToList(), options, Measured(20))),
        ];
    }

    /// <summary>Every client sends one message per interval to its room; every member's message:new is timed.</summary>
    private static async Task<ScenarioResult> FanOutAsync(IChatSide side, IReadOnlyList<BenchClient> clients, BenchOptions options, TimeSpan duration)
    {
        var run = Interlocked.Increment(ref _runs);
        var histogram = new LatencyHistogram();
        long delivered = 0, expected = 0, accepted = 0, errors = 0;
        var phase = new Phase();
        var (connections, failed, connectTime) = await ConnectAsync(side, clients, options, client => (conversation, body) =>
        {
            if (TryParse(body, out var sentAt, out var measured, out _) && measured)
            {
                histogram.Record(Stopwatch.GetElapsedTime(sentAt));
                Interlocked.Increment(ref delivered);
            }
        });

        var (usage, hops) = await MeasureAsync(side, options, duration, phase, stop => clients.Zip(connections)
            .Where(pair => pair.Second is not null).Select(pair => Task.Run(() => SendLoopAsync(pair.First, pair.Second!, stop))), hops: true);
        await DrainAsync(() => Interlocked.Read(ref delivered) < Interlocked.Read(ref expected));
        await DisconnectAsync(connections);

        var result = new ScenarioResult();
        result.Connected(clients.Count - failed, clients.Count, connectTime);
        result.Latency("send → message:new", histogram);
        result.Add("messages in/s", accepted / usage.Elapsed, "F0");
        result.Add("deliveries/s", delivered / usage.Elapsed, "F0");
        result.Delivered(delivered, expected);
        result.Add("send errors", errors, "F0");
        result.Cpu(usage, delivered, "deliveries");
        if (hops is not null) await hops.AddToAsync(result);
        return result;

        async Task SendLoopAsync(BenchClient client, IChatConnection connection, CancellationToken stop)
        {
            var (conversationId, members) = client.Conversations[0];
            var sequence = 0;
            try
            {
                // Spread the clients evenly over the interval.
                await Task.Delay(TimeSpan.FromTicks(Random.Shared.NextInt64(options.Interval.Ticks)), stop);
                using var timer = new PeriodicTimer(options.Interval);
                do
                {
                    var measured = phase.Measuring;
                    var clientMessageId = $"{client.Index}-{run}-{++sequence}";
                    try
                    {
                        await connection.SendAsync(conversationId, clientMessageId, Body(measured, clientMessageId));
                        if (measured)
                        {
                            Interlocked.Increment(ref accepted);
                            Interlocked.Add(ref expected, members);
                        }
                    }
                    catch (Exception exception) when (exception is not OperationCanceledException)
                    {
                        if (Interlocked.Increment(ref errors) <= 3) Console.Error.WriteLine($"  send failed ({side.Name}): {exception.Message}");
                    }
                } while (await timer.WaitForNextTickAsync(stop));
            }
            catch (OperationCanceledException)
            {
                // Done.
            }
        }
    }

    /// <summary>
    /// Each sender sends, waits for the server's answer and its own message:new, and sends again, in turn as each
    /// member of its room (Kinder allows a user 300 messages a minute: one user alone would hit that).
    /// </summary>
    private static async Task<ScenarioResult> SendsAsync(IChatSide side, IReadOnlyList<BenchClient> clients, int senders,
        BenchOptions options, TimeSpan duration)
    {
        var run = Interlocked.Increment(ref _runs);
        var histogram = new LatencyHistogram();
        long delivered = 0, expected = 0, completed = 0, errors = 0, echoTimeouts = 0;
        var phase = new Phase();
        var echoes = new ConcurrentDictionary<string, TaskCompletionSource>();
        var (connections, failed, connectTime) = await ConnectAsync(side, clients, options, client => (conversation, body) =>
        {
            if (!TryParse(body, out _, out var measured, out var clientMessageId)) return;
            if (measured) Interlocked.Increment(ref delivered);
            // Own message back: "<index>-<run>-<n>" is the sender's.
            if (clientMessageId.StartsWith($"{client.Index.ToString(CultureInfo.InvariantCulture)}-", StringComparison.Ordinal) &&
                echoes.TryRemove(clientMessageId, out var echo))
            {
                echo.TrySetResult();
            }
        });

        var teams = clients.Zip(connections).Where(pair => pair.Second is not null).Chunk(RoomSize).Take(senders).ToList();
        var (usage, hops) = await MeasureAsync(side, options, duration, phase, stop => teams.Select(team => Task.Run(() => SendLoopAsync(team, stop))), hops: true);
        await DrainAsync(() => Interlocked.Read(ref delivered) < Interlocked.Read(ref expected));
        await DisconnectAsync(connections);

        var result = new ScenarioResult();
        result.Connected(clients.Count - failed, clients.Count, connectTime);
        result.Add("senders", teams.Count, "F0");
        result.Latency("send → own message:new", histogram);
        result.Add("messages/s", completed / usage.Elapsed, "F0");
        result.Delivered(delivered, expected);
        result.Add("send errors", errors, "F0");
        result.Add($"own message:new not back in {EchoTimeout.TotalSeconds:F0} s", echoTimeouts, "F0");
        result.Cpu(usage, delivered, "deliveries");
        if (hops is not null) await hops.AddToAsync(result);
        return result;

        async Task SendLoopAsync((BenchClient Client, IChatConnection? Connection)[] team, CancellationToken stop)
        {
            for (var sequence = 1; !stop.IsCancellationRequested; sequence++)
            {
                var (client, connection) = team[sequence % team.Length];
                var (conversationId, members) = client.Conversations[0];
                var clientMessageId = $"{client.Index}-{run}-{sequence}";
                var echo = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                echoes[clientMessageId] = echo;
                var measured = phase.Measuring;
                var started = Stopwatch.GetTimestamp();
                try
                {
                    await connection!.SendAsync(conversationId, clientMessageId, Body(measured, clientMessageId));
                }
                catch (Exception exception)
                {
                    echoes.TryRemove(clientMessageId, out _);
                    if (Interlocked.Increment(ref errors) <= 3) Console.Error.WriteLine($"  send failed ({side.Name}): {exception.Message}");
                    await Task.Delay(100); // a refused send (a rate limit) must not spin
                    continue;
                }
                if (measured) Interlocked.Add(ref expected, members);
                try
                {
                    await echo.Task.WaitAsync(EchoTimeout);
                    if (measured && phase.Measuring)
                    {
                        histogram.Record(Stopwatch.GetElapsedTime(started));
                        Interlocked.Increment(ref completed);
                    }
                }
                catch (TimeoutException)
                {
                    // Accepted but not back: counted (it is missing from delivered), and the loop goes on.
                    echoes.TryRemove(clientMessageId, out _);
                    Interlocked.Increment(ref echoTimeouts);
                }
            }
        }
    }

    /// <summary>Closed loop: every connection asks again as soon as it has the whole answer.</summary>
    private static async Task<ScenarioResult> ReadsAsync(IChatSide side, string path, IReadOnlyList<BenchClient> clients,
        BenchOptions options, TimeSpan duration)
    {
        var histogram = new LatencyHistogram();
        long completed = 0, errors = 0;
        var phase = new Phase();
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = clients.Count };
        using var http = new HttpClient(handler) { BaseAddress = side.HttpBase, Timeout = TimeSpan.FromSeconds(30) };
        var (usage, _) = await MeasureAsync(side, options, duration, phase, stop => clients.Select(client => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, path);
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", client.Token);
                var measured = phase.Measuring;
                var started = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, CancellationToken.None);
                    if (!response.IsSuccessStatusCode) throw new HttpRequestException($"{path} answered {(int)response.StatusCode}");
                    if (measured && phase.Measuring)
                    {
                        histogram.Record(Stopwatch.GetElapsedTime(started));
                        Interlocked.Increment(ref completed);
                    }
                }
                catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
                {
                    if (Interlocked.Increment(ref errors) <= 3) Console.Error.WriteLine($"  {side.Name} {exception.Message}");
                }
            }
        })));

        var result = new ScenarioResult();
        result.Latency("request", histogram);
        result.Add("requests/s", completed / usage.Elapsed, "F0");
        result.Add("errors", errors, "F0");
        result.Cpu(usage, completed, "requests");
        return result;
    }

    // Sockets connected, and kept, before the idle scenario's reading starts: a server's first connections pay one-offs
    // (the JIT compiling the connection path, pools and caches filling) that the next thousands do not.
    private const int IdleWarmup = 200;
    private const int IdleSockets = 2000;
    private static readonly TimeSpan IdleSettle = TimeSpan.FromSeconds(10); // allocations settle, heartbeats run

    /// <summary>
    /// What an idle socket costs the server: RSS growth per socket over the measured sockets, connected past a warm-up
    /// of <see cref="IdleWarmup"/> that stays open. Also the growth per socket from the cold server, one-offs included.
    /// A server that served a bigger load before (a later round) places new sockets in heap it already holds: read
    /// the first round.
    /// </summary>
    private static async Task<ScenarioResult> IdleAsync(IChatSide side, IReadOnlyList<BenchClient> warmup,
        IReadOnlyList<BenchClient> clients, BenchOptions options)
    {
        var cold = side.SocketServerRss();
        var (warm, warmFailed, _) = await ConnectAsync(side, warmup, options, _ => (_, _) => { });
        await Task.Delay(IdleSettle);
        var before = side.SocketServerRss();
        var cpu = new CpuWindow(side);
        var (connections, failed, connectTime) = await ConnectAsync(side, clients, options, _ => (_, _) => { });
        var usage = cpu.Stop();
        await Task.Delay(IdleSettle);
        var after = side.SocketServerRss();
        await DisconnectAsync(connections.Concat(warm));

        var connected = clients.Count - failed;
        var result = new ScenarioResult();
        result.Connected(connected, clients.Count, connectTime);
        result.Add("connects/s", connected / connectTime.TotalSeconds, "F0");
        result.Add("socket server RSS cold, MB", Report.MegabytesOf(cold), "F1");
        result.Add($"socket server RSS with the {IdleWarmup} warm-up sockets, MB", Report.MegabytesOf(before), "F1");
        result.Add("socket server RSS after, MB", Report.MegabytesOf(after), "F1");
        result.Add("KB per idle socket", Report.KilobytesEach(after - before, connected), "F1");
        result.Add("KB per idle socket from the cold server", Report.KilobytesEach(after - cold, connected + warmup.Count - warmFailed), "F1");
        result.Cpu(usage, connected, "connects");
        return result;
    }

    /// <summary>Warm-up, then a measured window over which the side's CPU is read; false again once it is over.</summary>
    private sealed class Phase
    {
        private int _state; // 0 warm-up, 1 measured, 2 after

        public bool Measuring => Volatile.Read(ref _state) == 1;
        public void Set(int state) => Volatile.Write(ref _state, state);
    }

    /// <summary>
    /// Starts the load, warms up, measures for <paramref name="duration"/>, stops the load and waits for it. The side's
    /// hops are timed over the measured window when <paramref name="hops"/> is set.
    /// </summary>
    private static async Task<(CpuUsage Usage, HopTimings? Hops)> MeasureAsync(IChatSide side, BenchOptions options,
        TimeSpan duration, Phase phase, Func<CancellationToken, IEnumerable<Task>> start, bool hops = false)
    {
        using var stop = new CancellationTokenSource();
        var load = start(stop.Token).ToList();
        await Task.Delay(options.Warmup);
        var timings = hops ? side.StartHopTimings(duration) : null;
        var cpu = new CpuWindow(side);
        phase.Set(1);
        await Task.Delay(duration);
        phase.Set(2);
        var usage = cpu.Stop();
        await stop.CancelAsync();
        await Task.WhenAll(load);
        return (usage, timings);
    }

    private static string Body(bool measured, string clientMessageId) =>
        $"{Stopwatch.GetTimestamp().ToString(CultureInfo.InvariantCulture)} {(measured ? 1 : 0)} {clientMessageId}";

    private static bool TryParse(string body, out long sentAt, out bool measured, out string clientMessageId)
    {
        var parts = body.Split(' ');
        measured = parts.Length == 3 && parts[1] == "1";
        clientMessageId = parts.Length == 3 ? parts[2] : "";
        return long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out sentAt) && parts.Length == 3;
    }

    /// <summary>Connects every client, a bounded number at a time; a failed one's slot is null.</summary>
    private static async Task<(IChatConnection?[] Connections, int Failed, TimeSpan Elapsed)> ConnectAsync(IChatSide side,
        IReadOnlyList<BenchClient> clients, BenchOptions options, Func<BenchClient, Action<Guid, string>> onMessage)
    {
        var connections = new IChatConnection?[clients.Count];
        var failed = 0;
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, clients.Count),
            new ParallelOptions { MaxDegreeOfParallelism = options.ConnectConcurrency }, async (index, cancellationToken) =>
            {
                try
                {
                    connections[index] = await side.ConnectAsync(clients[index], onMessage(clients[index]), cancellationToken);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    if (Interlocked.Increment(ref failed) <= 3) Console.Error.WriteLine($"  connect failed ({side.Name}): {exception.Message}");
                }
            });
        var elapsed = clock.Elapsed;
        await Task.Delay(TimeSpan.FromSeconds(2)); // the last joins settle before anyone sends
        return (connections, failed, elapsed);
    }

    private static Task DisconnectAsync(IEnumerable<IChatConnection?> connections) =>
        Parallel.ForEachAsync(connections.OfType<IChatConnection>(), new ParallelOptions { MaxDegreeOfParallelism = 64 },
            async (connection, _) => await connection.DisposeAsync());

    /// <summary>Whatever was sent while measuring should still arrive: wait a while for it.</summary>
    private static async Task DrainAsync(Func<bool> missing)
    {
        for (var clock = Stopwatch.StartNew(); missing() && clock.Elapsed < DrainLimit;)
            await Task.Delay(200);
    }
}
