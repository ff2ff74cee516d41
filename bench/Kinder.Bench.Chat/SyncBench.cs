using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Kinder.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Bench.Chat;

/// <summary>
/// <c>GET /api/v1/sync</c> for one user with <see cref="BenchOptions.SyncConversations"/> direct conversations (each
/// with a message) and <see cref="BenchOptions.SyncEvents"/> events (5 organised, the rest going): the full snapshot,
/// a sync when nothing changed (one client, then <see cref="BenchOptions.Connections"/> in a closed loop), and the sync
/// after each of <see cref="BenchOptions.Bursts"/> bursts (<see cref="BenchOptions.BurstMessages"/> messages from the
/// other members and 2 event updates), with the <c>afterSeq</c> reads the sync implies timed apart.
/// </summary>
internal static class SyncBench
{
    private const int OrganisedEvents = 5;

    public static async Task<int> RunAsync(BenchOptions options, ServiceSet services)
    {
        var clock = Stopwatch.StartNew();
        var clients = await BenchWorld.CreateUsersAsync(options, options.SyncConversations + 1);
        var subject = clients[0];
        var partners = clients.Skip(1).ToList();
        var conversations = new Guid[partners.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, partners.Count), new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (i, cancellationToken) => conversations[i] = await BenchWorld.CreateConversationAsync(options, subject, "direct",
                [partners[i].User.Id], null, cancellationToken));
        var organised = await CreateEventsAsync(options, subject, partners);
        Console.WriteLine($"Created {partners.Count} direct conversations and {options.SyncEvents} events for one user in {clock.Elapsed.TotalSeconds:F1} s");

        clock.Restart();
        var sent = 0;
        await SendAsync(options, partners, conversations, partners.Count, () => Interlocked.Increment(ref sent));
        await WaitStoredAsync(options, conversations, sent);
        Console.WriteLine($"Sent and stored one message per conversation in {clock.Elapsed.TotalSeconds:F1} s");

        using var http = BenchWorld.ApiClient(options, subject.Token);
        var snapshot = new LatencyHistogram();
        SyncPage last = default;
        for (var i = 0; i < 20; i++)
        {
            var started = Stopwatch.GetTimestamp();
            last = await SyncAllAsync(http, since: null);
            snapshot.Record(Stopwatch.GetElapsedTime(started));
        }
        Console.WriteLine($"Full snapshot: {last.Conversations} conversations, {last.Events} events in {last.Pages} page(s), {last.Bytes:N0} bytes");
        Print("full snapshot (no cursor), 20 calls", snapshot, null);

        var cursor = last.Cursor;
        // The last seq the client holds per conversation, as the reference client keeps it.
        var held = last.Moved.ToDictionary(moved => moved.Id, moved => moved.Seq);
        var quiet1 = await LoopAsync(http, cursor, 1, options.Duration);
        Print($"nothing changed, 1 client, {options.Duration.TotalSeconds:F0} s", quiet1.Histogram, quiet1.Count / options.Duration.TotalSeconds);
        var cpuStart = services.CpuSeconds();
        var quietN = await LoopAsync(http, cursor, options.Connections, options.Duration);
        var cpuEnd = services.CpuSeconds();
        Print($"nothing changed, {options.Connections} in flight, {options.Duration.TotalSeconds:F0} s", quietN.Histogram,
            quietN.Count / options.Duration.TotalSeconds);
        Console.WriteLine("   CPU per sync (ms): " + string.Join("  ", cpuEnd.Where(pair => pair.Key is "api" or "postgres" or "redis" or "proxy")
            .Select(pair => $"{pair.Key} {1000 * (pair.Value - cpuStart.GetValueOrDefault(pair.Key)) / Math.Max(1, quietN.Count):F2}")));

        var afterBurst = new LatencyHistogram();
        var fetches = new LatencyHistogram();
        var changed = 0;
        for (var round = 0; round < options.Bursts; round++)
        {
            await SendAsync(options, partners, conversations, options.BurstMessages, () => Interlocked.Increment(ref sent));
            await UpdateEventsAsync(options, subject, organised.Take(2), round);
            await WaitStoredAsync(options, conversations, sent);
            var started = Stopwatch.GetTimestamp();
            var page = await SyncAllAsync(http, cursor);
            afterBurst.Record(Stopwatch.GetElapsedTime(started));
            changed += page.Conversations;
            started = Stopwatch.GetTimestamp();
            // The reads the sync implies: afterSeq for every conversation whose lastSeq is ahead of what the client holds.
            var behind = page.Moved.Where(moved => moved.Seq > held.GetValueOrDefault(moved.Id)).ToList();
            await Parallel.ForEachAsync(behind, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (moved, cancellationToken) =>
            {
                using var response = await http.GetAsync($"/api/v1/conversations/{moved.Id}/messages?afterSeq={held[moved.Id]}", cancellationToken);
                response.EnsureSuccessStatusCode();
            });
            fetches.Record(Stopwatch.GetElapsedTime(started));
            foreach (var moved in behind) held[moved.Id] = moved.Seq;
            cursor = page.Cursor;
        }
        Print($"after a burst of {options.BurstMessages} messages + 2 event updates, {options.Bursts} bursts " +
              $"({changed / Math.Max(1, options.Bursts)} conversations changed each)", afterBurst, null);
        Print("   the afterSeq reads it implies (8 in parallel, all of one burst)", fetches, null);
        Console.WriteLine();
        Console.WriteLine($"Scenario: one user, {partners.Count} direct conversations (and the chats of the events), {options.SyncEvents} events; " +
                          $"GET /api/v1/sync (default page size); load average (1 min) {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
        return quiet1.Errors + quietN.Errors > 0 ? 1 : 0;
    }

    private readonly record struct SyncPage(string Cursor, int Pages, int Conversations, int Events, long Bytes,
        List<(Guid Id, long Seq)> Moved);

    /// <summary>One sync as a client does it: pages until hasMore is false.</summary>
    private static async Task<SyncPage> SyncAllAsync(HttpClient http, string? since)
    {
        int pages = 0, conversations = 0, events = 0;
        long bytes = 0;
        var moved = new List<(Guid, long)>();
        bool more;
        do
        {
            var body = await http.GetByteArrayAsync(since is null ? "/api/v1/sync" : $"/api/v1/sync?since={Uri.EscapeDataString(since)}");
            bytes += body.Length;
            pages++;
            var root = JsonDocument.Parse(body).RootElement;
            foreach (var conversation in root.GetProperty("conversations").EnumerateArray())
                moved.Add((conversation.GetProperty("id").GetGuid(), conversation.GetProperty("lastSeq").GetInt64()));
            conversations += root.GetProperty("conversations").GetArrayLength();
            events += root.GetProperty("events").GetArrayLength();
            since = root.GetProperty("cursor").GetString();
            more = root.GetProperty("hasMore").GetBoolean();
        } while (more);
        return new SyncPage(since!, pages, conversations, events, bytes, moved);
    }

    private static async Task<(LatencyHistogram Histogram, long Count, long Errors)> LoopAsync(HttpClient http, string cursor,
        int concurrency, TimeSpan duration)
    {
        var histogram = new LatencyHistogram();
        long count = 0, errors = 0;
        var watch = Stopwatch.StartNew();
        var url = $"/api/v1/sync?since={Uri.EscapeDataString(cursor)}";
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            while (watch.Elapsed < duration)
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await http.GetAsync(url);
                var body = await response.Content.ReadAsByteArrayAsync();
                histogram.Record(Stopwatch.GetElapsedTime(started));
                Interlocked.Increment(ref count);
                // Nothing changed: the answer must be empty, or the figure measures something else.
                if (!response.IsSuccessStatusCode || JsonDocument.Parse(body).RootElement.GetProperty("conversations").GetArrayLength() > 0)
                {
                    if (Interlocked.Increment(ref errors) <= 3)
                        Console.Error.WriteLine($"GET /sync answered {(int)response.StatusCode} with {body.Length} bytes where nothing changed");
                }
            }
        })));
        return (histogram, count, errors);
    }

    private static void Print(string label, LatencyHistogram histogram, double? perSecond) =>
        Console.WriteLine($"{label}: p50 {histogram.PercentileMs(0.50):F1} ms  p95 {histogram.PercentileMs(0.95):F1}  " +
                          $"p99 {histogram.PercentileMs(0.99):F1}  max {histogram.MaxMs:F1}" +
                          (perSecond is { } rate ? $"  ({rate:F0} syncs/s)" : ""));

    /// <summary>Messages from the other members, in turn over the conversations.</summary>
    private static Task SendAsync(BenchOptions options, IReadOnlyList<BenchClient> partners, Guid[] conversations, int count, Action sent) =>
        Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, cancellationToken) =>
        {
            var index = i % conversations.Length;
            using var http = BenchWorld.ApiClient(options, partners[index].Token);
            using var response = await http.PostAsJsonAsync($"/api/v1/conversations/{conversations[index]}/messages",
                new { clientMessageId = Guid.NewGuid().ToString("N"), type = "text", body = $"Sync bench message {i}" }, cancellationToken);
            if (!response.IsSuccessStatusCode)
                throw new InvalidOperationException($"POST …/messages answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
            sent();
        });

    private static async Task WaitStoredAsync(BenchOptions options, Guid[] conversations, int expected)
    {
        var db = new DbContextOptionsBuilder<KinderDbContext>();
        KinderDbContextOptions.Configure(db, options.Database, maxRetryCount: 0);
        await using var context = new KinderDbContext(db.Options);
        var deadline = Stopwatch.StartNew();
        int stored;
        while ((stored = await context.Messages.CountAsync(m => conversations.Contains(m.ConversationId))) < expected &&
               deadline.Elapsed < TimeSpan.FromSeconds(120))
            await Task.Delay(100);
        if (stored < expected)
            Console.Error.WriteLine($"warning: {stored} of {expected} messages stored after 120 s");
    }

    /// <summary>
    /// A few events organised by the user (a free account may create <see cref="OrganisedEvents"/> a month), the rest
    /// organised by the other members with the user going; returns the organised ids.
    /// </summary>
    private static async Task<List<Guid>> CreateEventsAsync(BenchOptions options, BenchClient subject, IReadOnlyList<BenchClient> partners)
    {
        var organised = new List<Guid>();
        for (var i = 0; i < options.SyncEvents; i++)
        {
            var mine = i < OrganisedEvents;
            var organizer = mine ? subject : partners[i % partners.Count];
            using var http = BenchWorld.ApiClient(options, organizer.Token);
            using var response = await http.PostAsJsonAsync("/api/v1/events", BenchWorld.EventBody($"Sync bench event {i}", days: 7));
            var text = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode)
                throw new InvalidOperationException($"POST /events answered {(int)response.StatusCode}: {text}");
            var id = JsonDocument.Parse(text).RootElement.GetProperty("id").GetGuid();
            if (mine)
            {
                organised.Add(id);
                continue;
            }
            using var going = BenchWorld.ApiClient(options, subject.Token);
            using var answer = await going.PostAsJsonAsync($"/api/v1/events/{id}/attendance", new { status = "going" });
            if (!answer.IsSuccessStatusCode)
                throw new InvalidOperationException($"POST /events/{id}/attendance answered {(int)answer.StatusCode}: {await answer.Content.ReadAsStringAsync()}");
        }
        return organised;
    }

    private static async Task UpdateEventsAsync(BenchOptions options, BenchClient organizer, IEnumerable<Guid> events, int round)
    {
        using var http = BenchWorld.ApiClient(options, organizer.Token);
        foreach (var id in events)
        {
            using var response = await http.PutAsJsonAsync($"/api/v1/events/{id}", BenchWorld.EventBody($"Sync bench event, edit {round}", days: 7));
            if (!response.IsSuccessStatusCode)
                throw new InvalidOperationException($"PUT /events/{id} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }
}
