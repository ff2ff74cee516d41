using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Kinder.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Bench.Chat;

/// <summary>
/// <c>GET /api/v1/conversations</c> (a user's first page) in a closed loop: every client in <see cref="BenchOptions.Memberships"/>
/// groups of <see cref="BenchOptions.GroupSize"/>, each with a few messages (so last messages and unread counts are
/// real); <see cref="BenchOptions.Connections"/> requests in flight, the users taken in turn.
/// </summary>
internal static class ConversationsBench
{
    public static async Task<int> RunAsync(BenchOptions options, ServiceSet services)
    {
        var clock = Stopwatch.StartNew();
        var clients = await BenchWorld.CreateUsersAsync(options, options.Clients);
        var (groups, directs) = await BenchWorld.CreateConversationsAsync(options, clients);
        groups += await CreateMoreGroupsAsync(options, clients);
        Console.WriteLine($"Created {clients.Count} users, {groups} groups and {directs} direct conversations in {clock.Elapsed.TotalSeconds:F1} s");

        clock.Restart();
        var messages = await SendMessagesAsync(options, clients);
        Console.WriteLine($"Sent and persisted {messages} messages in {clock.Elapsed.TotalSeconds:F1} s");

        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = options.Connections })
            { Timeout = TimeSpan.FromSeconds(30) };
        if (!await DescribeOneAsync(http, options.Api, clients[0]))
            return 1;

        // With --against, the two Apis take turns (A B A B), so both meet the same machine and the same data.
        IReadOnlyList<Uri> targets = options.Against is { } against ? [options.Api, against, options.Api, against] : [options.Api];
        Console.WriteLine($"Closed loop, {options.Connections} connections, per phase: warm-up {options.Warmup.TotalSeconds:F0} s, measuring {options.Duration.TotalSeconds:F0} s");
        var errors = 0L;
        foreach (var target in targets)
            errors += await MeasureAsync(http, target, options, services, clients);
        Console.WriteLine();
        Console.WriteLine($"Scenario: {clients.Count} users, each in {options.Memberships} group(s) of {options.GroupSize}" +
                          $"{(directs > 0 ? $" and up to one of {directs} direct conversations" : "")}, {options.Messages} message(s) per conversation; " +
                          $"GET /api/v1/conversations, {options.Connections} connections closed loop");
        return errors > 0 ? 1 : 0;
    }

    /// <summary>One phase against <paramref name="api"/>: warm-up, then measured; prints req/s, latency and CPU.</summary>
    private static async Task<long> MeasureAsync(HttpClient http, Uri api, BenchOptions options, ServiceSet services,
        IReadOnlyList<BenchClient> clients)
    {
        // The Api the stack runs is behind Aspire's proxy; one started by hand (--against) listens itself.
        var apiPid = ProcessStats.ListenerOf(api.Port) is { } listener && ProcessStats.CommandLines()
            .Any(process => process.Pid == listener && process.Arguments.Take(2).Any(argument => argument.Contains("Kinder.Api", StringComparison.Ordinal)))
            ? listener
            : services.Api;
        double ApiCpu() => apiPid is { } pid ? ProcessStats.CpuSeconds(pid, withDescendants: false) : 0;

        await LoopAsync(http, api, options, clients, options.Warmup, null);
        var histogram = new LatencyHistogram();
        var loadBefore = LoadAverage();
        var cpuStart = services.CpuSeconds();
        var apiStart = ApiCpu();
        var clientCpuStart = Report.ClientCpuSeconds();
        var machineStart = ProcessStats.MachineTicks();
        var window = Stopwatch.StartNew();
        var (count, errors) = await LoopAsync(http, api, options, clients, options.Duration, histogram);
        var elapsed = window.Elapsed.TotalSeconds;
        var cpuEnd = services.CpuSeconds();
        cpuEnd["api"] = ApiCpu();
        cpuStart["api"] = apiStart;
        var clientCpuEnd = Report.ClientCpuSeconds();
        var machineEnd = ProcessStats.MachineTicks();

        Console.WriteLine();
        Console.WriteLine($"== {api} (api pid {apiPid?.ToString() ?? "?"}), {elapsed:F0} s");
        Console.WriteLine($"Requests: {count / elapsed,8:F1}/s  ({count} answered, {errors} errors)");
        Console.WriteLine($"Latency (ms): p50 {histogram.PercentileMs(0.50):F1}  p95 {histogram.PercentileMs(0.95):F1}  " +
                          $"p99 {histogram.PercentileMs(0.99):F1}  max {histogram.MaxMs:F1}");
        var machineBusy = 100.0 * (machineEnd.Busy - machineStart.Busy) / Math.Max(1, machineEnd.Total - machineStart.Total);
        Console.WriteLine($"CPU (% of one core): " + string.Join("  ", cpuEnd.Select(pair =>
                              $"{pair.Key} {100 * (pair.Value - cpuStart.GetValueOrDefault(pair.Key)) / elapsed:F0}%")) +
                          $"  client {100 * (clientCpuEnd - clientCpuStart) / elapsed:F0}%  | machine busy {machineBusy:F0}% of {Environment.ProcessorCount} cores");
        // On a shared machine throughput follows what else runs; the CPU each request costs does much less.
        Console.WriteLine("CPU per request (ms): " + string.Join("  ", cpuEnd
            .Where(pair => pair.Key is "api" or "postgres" or "redis" or "proxy")
            .Select(pair => $"{pair.Key} {1000 * (pair.Value - cpuStart.GetValueOrDefault(pair.Key)) / Math.Max(1, count):F2}")) +
            $"  client {1000 * (clientCpuEnd - clientCpuStart) / Math.Max(1, count):F2}");
        Console.WriteLine($"Load average (1 min): {loadBefore} before, {LoadAverage()} after");
        return errors;
    }

    /// <summary>Rounds 2… of groups: the clients shuffled (the same way every run) and grouped again.</summary>
    private static async Task<int> CreateMoreGroupsAsync(BenchOptions options, IReadOnlyList<BenchClient> clients)
    {
        var groups = Enumerable.Range(1, options.Memberships - 1)
            .SelectMany(round => clients.OrderBy(_ => Random.Shared.Next()).Chunk(options.GroupSize)
                .Where(group => group.Length >= 2).Select((group, index) => (Round: round, Index: index, Members: group)))
            .ToList();
        await Parallel.ForEachAsync(groups, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (group, cancellationToken) =>
        {
            var id = await BenchWorld.CreateConversationAsync(options, group.Members[0], "group",
                group.Members.Skip(1).Select(member => member.User.Id), $"Bench group {group.Round}.{group.Index}", cancellationToken);
            foreach (var member in group.Members) lock (member) member.Conversations.Add((id, group.Members.Length));
        });
        return groups.Count;
    }

    /// <summary>Each conversation gets its messages from its members in turn (through the Api); waits until Workers persisted them.</summary>
    private static async Task<int> SendMessagesAsync(BenchOptions options, IReadOnlyList<BenchClient> clients)
    {
        var members = clients
            .SelectMany(client => client.Conversations.Select(conversation => (conversation.ConversationId, Client: client)))
            .GroupBy(pair => pair.ConversationId, pair => pair.Client)
            .ToList();
        var sends = members.SelectMany(conversation => Enumerable.Range(0, options.Messages)
            .Select(i => (Conversation: conversation.Key, Sender: conversation.ElementAt(i % conversation.Count()), Number: i))).ToList();
        await Parallel.ForEachAsync(sends, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (send, cancellationToken) =>
        {
            using var http = BenchWorld.ApiClient(options, send.Sender.Token);
            using var response = await http.PostAsJsonAsync($"/api/v1/conversations/{send.Conversation}/messages",
                new { clientMessageId = $"seed-{send.Number}", type = "text", body = $"Hello, message {send.Number} of the bench" },
                cancellationToken);
            if (!response.IsSuccessStatusCode)
                throw new InvalidOperationException($"POST …/messages answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        });

        var ids = members.Select(conversation => conversation.Key).ToList();
        var db = new DbContextOptionsBuilder<KinderDbContext>();
        KinderDbContextOptions.Configure(db, options.Database, maxRetryCount: 0);
        await using var context = new KinderDbContext(db.Options);
        var deadline = Stopwatch.StartNew();
        int persisted;
        while ((persisted = await context.Messages.CountAsync(m => ids.Contains(m.ConversationId))) < sends.Count &&
               deadline.Elapsed < TimeSpan.FromSeconds(120))
            await Task.Delay(500);
        if (persisted < sends.Count)
            Console.Error.WriteLine($"warning: {persisted} of {sends.Count} messages persisted after 120 s");
        return persisted;
    }

    /// <summary>One user's list, to show what each request returns (and that it returns it).</summary>
    private static async Task<bool> DescribeOneAsync(HttpClient http, Uri api, BenchClient client)
    {
        using var request = Get(api, client);
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsByteArrayAsync();
        if (!response.IsSuccessStatusCode)
        {
            Console.Error.WriteLine($"GET /api/v1/conversations answered {(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(body)}");
            return false;
        }
        var items = JsonDocument.Parse(body).RootElement.GetProperty("items").EnumerateArray().ToList();
        Console.WriteLine($"A user's list: {items.Count} conversations, {items.Count(item => item.TryGetProperty("lastMessage", out _))} with a last message, " +
                          $"{items.Sum(item => item.GetProperty("unreadCount").GetInt32())} unread, {body.Length:N0} bytes");
        return true;
    }

    private static async Task<(long Count, long Errors)> LoopAsync(HttpClient http, Uri api, BenchOptions options,
        IReadOnlyList<BenchClient> clients, TimeSpan duration, LatencyHistogram? histogram)
    {
        long count = 0, errors = 0, next = 0;
        var watch = Stopwatch.StartNew();
        var loops = Enumerable.Range(0, options.Connections).Select(_ => Task.Run(async () =>
        {
            while (watch.Elapsed < duration)
            {
                var client = clients[(int)(Interlocked.Increment(ref next) % clients.Count)];
                using var request = Get(api, client);
                var started = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await http.SendAsync(request);
                    await response.Content.ReadAsByteArrayAsync();
                    if (!response.IsSuccessStatusCode && Interlocked.Increment(ref errors) <= 3)
                        Console.Error.WriteLine($"GET /api/v1/conversations answered {(int)response.StatusCode}");
                }
                catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
                {
                    if (Interlocked.Increment(ref errors) <= 3) Console.Error.WriteLine($"GET /api/v1/conversations failed: {exception.Message}");
                }
                histogram?.Record(Stopwatch.GetElapsedTime(started));
                Interlocked.Increment(ref count);
            }
        })).ToList();
        await Task.WhenAll(loops);
        return (count, errors);
    }

    private static HttpRequestMessage Get(Uri api, BenchClient client)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(api, "/api/v1/conversations"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", client.Token);
        return request;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";
}
