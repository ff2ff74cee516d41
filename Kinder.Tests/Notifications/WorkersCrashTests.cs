using System.Net;
using System.Net.Http.Json;
using Kinder.Core.Friends;
using Kinder.Core.Outbox;
using Kinder.Messaging;
using Kinder.PushFake;
using Kinder.Tests.Infrastructure;
using Kinder.Tests.Push;
using Xunit.Abstractions;

namespace Kinder.Tests.Notifications;

/// <summary>
/// A real crash: Kinder.Workers runs as a child process and is SIGKILLed in the middle of a burst of 500 notification
/// causes (friend requests written to the outbox), then a new process takes over. The push fake must record all 500
/// notifications for the user's device, none lost, and none twice but the one push in flight at the kill (see the
/// assertion). Everything between the outbox and the device runs in the killed process: the relay, the notification
/// sources, the writer, the push consumer and sender.
/// </summary>
public sealed class WorkersCrashTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Burst = 500;
    private readonly PushFakeKeys keys = new();
    private readonly ApiFactory api = new();
    private PushFakeServer fake = null!;

    public async Task InitializeAsync()
    {
        fake = await PushStack.StartFakeAsync(keys.FakeOptions());
        await api.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await fake.DisposeAsync();
        await api.DisposeAsync();
        keys.Dispose();
    }

    [Fact]
    public async Task A_sigkill_of_the_workers_process_mid_burst_loses_no_push_and_repeats_at_most_the_one_in_flight()
    {
        var user = await api.CreateUserAsync();
        var requester = await api.CreateUserAsync(u => u.DisplayName = "Burst");
        var token = PushStack.NewFcmToken();
        var device = await api.CreateClientFor(user).PostAsJsonAsync("/api/v1/devices", new { platform = "fcm", token });
        Assert.Equal(HttpStatusCode.Created, device.StatusCode);
        await using (var db = TestDatabases.CreateContext(api.DatabaseConnectionString))
        {
            for (var i = 0; i < Burst; i++)
            {
                db.AddIntegrationEvent(Topics.Social, user.Id.ToString(),
                    new FriendRequestedIntegrationEvent(Guid.NewGuid(), requester.Id, user.Id, DateTimeOffset.UtcNow));
            }
            await db.SaveChangesAsync();
        }
        // One set of settings for both processes: the second joins the first one's consumer groups.
        var settings = WorkersProcess.TestSettings(api.DatabaseConnectionString);
        foreach (var (key, value) in keys.WorkersSettings(fake))
            settings[key] = value;
        settings["Kafka:Consumer:RetryBaseDelay"] = "00:00:00.050";
        settings["Kafka:Consumer:RetryMaxDelay"] = "00:00:00.200";
        // The dead consumer's partitions move to the new one after the session timeout.
        settings["Aspire:Confluent:Kafka:Consumer:Config:SessionTimeoutMs"] = "6000";
        settings["Aspire:Confluent:Kafka:Consumer:Config:HeartbeatIntervalMs"] = "1000";

        int landedAtKill;
        using (var first = WorkersProcess.Start(settings))
        {
            await UntilAsync(() => PushesTo(token).Count >= 20, "the first pushes land", first, seconds: 120);
            first.Kill();
            landedAtKill = PushesTo(token).Count;
        }
        Assert.True(landedAtKill < Burst, $"The kill came after the whole burst ({landedAtKill} pushes): nothing was tested.");

        using var second = WorkersProcess.Start(settings);
        await UntilAsync(() => PushesTo(token).Count >= Burst, "all 500 pushes land", second, seconds: 180);
        await Task.Delay(TimeSpan.FromSeconds(3));

        var pushes = PushesTo(token);
        var notificationIds = pushes.Select(push => (string?)push.Payload["data"]?["notificationId"]).ToList();
        output.WriteLine($"Killed at {landedAtKill} pushes; {notificationIds.Count} pushes, {notificationIds.Distinct().Count()} distinct in the end.");
        Assert.DoesNotContain(null, notificationIds);
        // None lost: every notification reached the device.
        Assert.Equal(Burst, notificationIds.Distinct().Count());
        // None twice, but for the one push in flight when the process died: FCM had accepted it and the kill came
        // before Workers recorded that (push_deliveries.sent_at), so the new process cannot know and sends it again.
        // No provider takes an idempotency key; the copy is the same message (same collapse key and tag), so the
        // phone replaces the first with it. That window is the only one: one push per device per crash at most.
        var twice = pushes.GroupBy(push => (string)push.Payload["data"]!["notificationId"]!).Where(group => group.Count() > 1).ToList();
        Assert.True(twice.Count <= 1, $"Pushed twice: {string.Join(", ", twice.Select(group => group.Key))} (the kill came at push {landedAtKill})");
        foreach (var copies in twice)
        {
            Assert.Equal(2, copies.Count());
            Assert.Single(copies.Select(copy => copy.Payload.ToJsonString()).Distinct());
        }
    }

    private List<PushRecord> PushesTo(string token) => fake.Records.All.Where(record => record.Token == token).ToList();

    private static async Task UntilAsync(Func<bool> done, string what, WorkersProcess workers, int seconds)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!done())
        {
            if (workers.HasExited || DateTime.UtcNow > deadline)
                throw new TimeoutException($"Not within {seconds} s: {what}. Workers said:\n{workers.Output()}");
            await Task.Delay(10);
        }
    }
}
