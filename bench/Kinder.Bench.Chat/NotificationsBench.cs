using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Kinder.Core.Data;
using Kinder.Core.Events;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Kinder.Bench.Chat;

/// <summary>
/// Notification fan-out: one event with <see cref="BenchOptions.Clients"/> attendees going, each with an FCM device
/// (registered through <c>POST /devices</c>) and <see cref="BenchOptions.Connected"/> of them on the hub; the organizer
/// moves the event once (<c>PUT /events/{id}</c>), and the bench times, from that request, the <c>event_updated</c>
/// rows in PostgreSQL, the <c>notification:new</c> events on the open connections and the pushes the local push fake
/// accepted (its records carry the time it received each). Attendance rows are written straight into the database
/// (the RSVPs are not what is measured).
/// </summary>
internal static class NotificationsBench
{
    public static async Task<int> RunAsync(BenchOptions options, ServiceSet services)
    {
        var clock = Stopwatch.StartNew();
        var clients = await BenchWorld.CreateUsersAsync(options, options.Clients + 1);
        var organizer = clients[0];
        var attendees = clients.Skip(1).ToList();
        var eventId = await CreateEventAsync(options, organizer);
        await AttendAsync(options, eventId, attendees);
        var run = Guid.NewGuid().ToString("N")[..10];
        await RegisterDevicesAsync(options, attendees, run);
        Console.WriteLine($"Created {attendees.Count} attendees going to one event, each with an FCM device, in {clock.Elapsed.TotalSeconds:F1} s");

        var hubEvents = new List<long>();
        var connected = attendees.Take(options.Connected).ToList();
        var failed = await BenchWorld.ConnectAsync(options, connected, (_, connection) =>
            // notification:new is { notification: { …, data: { eventId } }, unreadCount }.
            connection.On<JsonElement>("notification:new", payload =>
            {
                if (payload.TryGetProperty("notification", out var notification) &&
                    notification.TryGetProperty("data", out var data) && data.TryGetProperty("eventId", out var id) &&
                    id.GetString() == eventId.ToString())
                    lock (hubEvents) hubEvents.Add(Stopwatch.GetTimestamp());
            }));
        Console.WriteLine($"Connected {connected.Count - failed} of {connected.Count} attendees to the hub");

        var cpuStart = services.CpuSeconds();
        var started = Stopwatch.GetTimestamp();
        var startedAt = DateTimeOffset.UtcNow;
        await MoveEventAsync(options, organizer, eventId);
        var accepted = Stopwatch.GetElapsedTime(started);

        var expected = attendees.Count;
        var (rows, rowsDone) = (0, TimeSpan.Zero);
        var (pushes, pushesDone) = (0, TimeSpan.Zero);
        var deadline = Stopwatch.StartNew();
        using var fake = new HttpClient { BaseAddress = options.PushFake, Timeout = TimeSpan.FromSeconds(30) };
        while (deadline.Elapsed < options.NotificationTimeout && (rows < expected || pushes < expected ||
                                                                    Count(hubEvents) < connected.Count - failed))
        {
            await Task.Delay(250);
            if (rows < expected && (rows = await CountRowsAsync(options, eventId)) >= expected)
                rowsDone = Stopwatch.GetElapsedTime(started);
            if (pushes < expected)
            {
                var (count, last) = await CountPushesAsync(fake, run);
                pushes = count;
                if (pushes >= expected)
                    pushesDone = last - startedAt;
            }
        }
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var cpuEnd = services.CpuSeconds();
        var hub = hubEvents.Order().ToList();

        Console.WriteLine();
        Console.WriteLine($"PUT /events/{{id}} answered in {accepted.TotalMilliseconds:F0} ms; from then on:");
        Console.WriteLine($"  notification rows   {rows,6} of {expected,6}" + (rows >= expected
            ? $"  all in {rowsDone.TotalSeconds:F2} s ({expected / rowsDone.TotalSeconds:F0}/s)" : "  (not all)"));
        Console.WriteLine($"  notification:new    {hub.Count,6} of {connected.Count - failed,6}" + (hub.Count > 0
            ? $"  first {Seconds(hub[0] - started):F2} s, last {Seconds(hub[^1] - started):F2} s" : ""));
        Console.WriteLine($"  pushes (push fake)  {pushes,6} of {expected,6}" + (pushes >= expected
            ? $"  last in {pushesDone.TotalSeconds:F2} s ({expected / pushesDone.TotalSeconds:F0} pushes/s)" : "  (not all)"));
        Console.WriteLine("CPU over the fan-out (core-seconds): " + string.Join("  ", cpuEnd.Select(pair =>
            $"{pair.Key} {pair.Value - cpuStart.GetValueOrDefault(pair.Key):F1}")) + $"  (window {elapsed:F1} s)");
        Console.WriteLine($"Load average (1 min): {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
        foreach (var client in connected)
            if (client.Connection is { } connection) await connection.DisposeAsync();
        return rows >= expected && pushes >= expected && hub.Count >= connected.Count - failed ? 0 : 1;
    }

    private static int Count(List<long> list)
    {
        lock (list) return list.Count;
    }

    private static double Seconds(long ticks) => ticks / (double)Stopwatch.Frequency;

    private static async Task<Guid> CreateEventAsync(BenchOptions options, BenchClient organizer)
    {
        using var http = BenchWorld.ApiClient(options, organizer.Token);
        using var response = await http.PostAsJsonAsync("/api/v1/events", BenchWorld.EventBody("Notification bench", days: 10));
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"POST /events answered {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("id").GetGuid();
    }

    private static async Task MoveEventAsync(BenchOptions options, BenchClient organizer, Guid eventId)
    {
        using var http = BenchWorld.ApiClient(options, organizer.Token);
        using var response = await http.PutAsJsonAsync($"/api/v1/events/{eventId}", BenchWorld.EventBody("Notification bench", days: 11));
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"PUT /events/{eventId} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    private static async Task AttendAsync(BenchOptions options, Guid eventId, IReadOnlyList<BenchClient> attendees)
    {
        var db = new DbContextOptionsBuilder<KinderDbContext>();
        KinderDbContextOptions.Configure(db, options.Database, maxRetryCount: 0);
        await using var context = new KinderDbContext(db.Options);
        context.ChangeTracker.AutoDetectChangesEnabled = false;
        // After the organizer's own row: the sequence orders an event's answers.
        var last = await context.Set<EventAttendance>().Where(a => a.EventId == eventId).MaxAsync(a => (long?)a.Sequence) ?? 0;
        context.Set<EventAttendance>().AddRange(attendees.Select((attendee, index) => new EventAttendance
        {
            EventId = eventId, UserId = attendee.User.Id, Status = AttendanceStatus.Going, Sequence = last + index + 1,
        }));
        await context.SaveChangesAsync();
    }

    private static Task RegisterDevicesAsync(BenchOptions options, IReadOnlyList<BenchClient> attendees, string run) =>
        Parallel.ForEachAsync(attendees, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (attendee, cancellationToken) =>
        {
            using var http = BenchWorld.ApiClient(options, attendee.Token);
            // FCM registration tokens are ~150 URL-safe characters; the run id lets the bench count its own pushes.
            var token = $"bench{run}_{attendee.Index:D6}_" + new string('x', 120);
            using var response = await http.PostAsJsonAsync("/api/v1/devices", new { platform = "fcm", token, appVersion = "bench" }, cancellationToken);
            if (!response.IsSuccessStatusCode)
                throw new InvalidOperationException($"POST /devices answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        });

    private static async Task<int> CountRowsAsync(BenchOptions options, Guid eventId)
    {
        await using var connection = new NpgsqlConnection(options.Database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM notifications WHERE type = 'event_updated' AND data ->> 'eventId' = @id", connection);
        command.Parameters.AddWithValue("id", eventId.ToString());
        return Convert.ToInt32(await command.ExecuteScalarAsync());
    }

    /// <summary>This run's pushes the fake accepted, and when it received the last of them.</summary>
    private static async Task<(int Count, DateTimeOffset Last)> CountPushesAsync(HttpClient fake, string run)
    {
        var records = await fake.GetFromJsonAsync<JsonElement>("/pushes");
        var count = 0;
        var last = DateTimeOffset.MinValue;
        foreach (var record in records.EnumerateArray())
        {
            if (!record.GetProperty("token").GetString()!.StartsWith($"bench{run}_", StringComparison.Ordinal)) continue;
            count++;
            var at = record.GetProperty("receivedAt").GetDateTimeOffset();
            if (at > last) last = at;
        }
        return (count, last);
    }
}
