using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kinder.Core.Data.Migrations;
using Kinder.Core.Chat;
using Kinder.Core.Notifications;
using Kinder.Messaging;
using Kinder.Tests.Chat;
using Kinder.Tests.Events;
using Kinder.Tests.Infrastructure;
using Kinder.Tests.Realtime;
using Kinder.Workers.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
using Microsoft.Extensions.DependencyInjection;

namespace Kinder.Tests.Notifications;

/// <summary>
/// Event reminders 24 h and 1 h before the start, to everyone going, from the scheduled jobs the Api plans with the
/// event. The Api plans by the real clock; Workers' clock (<see cref="TestClock"/>) is set to just before and just
/// after each due time.
/// </summary>
public sealed class EventReminderTests(NotificationsStack stack) : IClassFixture<NotificationsStack>
{
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task Reminders_fire_once_at_24_hours_and_at_1_hour_to_everyone_going()
    {
        stack.Clock.Reset();
        var startsAt = Start(TimeSpan.FromDays(2));
        var (organizer, _, eventId) = await stack.Api.CreateOrganizedEventAsync(EventAt(startsAt));
        var (going, goingClient) = await stack.Api.CreateChatUserAsync("Gus Going");
        var (interested, interestedClient) = await stack.Api.CreateChatUserAsync("Ida Interested");
        (await goingClient.AttendAsync(eventId, "going")).EnsureSuccessStatusCode();
        (await interestedClient.AttendAsync(eventId, "interested")).EnsureSuccessStatusCode();
        Assert.Equal([startsAt - TimeSpan.FromHours(24), startsAt - TimeSpan.FromHours(1)], await DueTimesAsync(eventId));

        stack.Clock.Set(startsAt - TimeSpan.FromHours(24) - Minute);
        await Task.Delay(Quiet);
        Assert.Empty(await RemindersAsync(going.Id, eventId));

        stack.Clock.Set(startsAt - TimeSpan.FromHours(24) + Minute);
        var first = Assert.Single(await UntilRemindersAsync(going.Id, eventId, 1));
        Assert.Equal(("Sunrise hike", "Tomorrow: " + $"{startsAt.UtcDateTime:ddd d MMM, HH:mm} UTC, Teufelsberg."), (first.Title, first.Body));
        Assert.Single(await UntilRemindersAsync(organizer.Id, eventId, 1));
        Assert.Equal([startsAt - TimeSpan.FromHours(1)], await DueTimesAsync(eventId));

        stack.Clock.Set(startsAt - TimeSpan.FromHours(1) + Minute);
        var both = await UntilRemindersAsync(going.Id, eventId, 2);
        Assert.StartsWith("In an hour: ", both.Single(n => n.Id != first.Id).Body);
        Assert.Empty(await DueTimesAsync(eventId));
        await Task.Delay(Quiet);

        Assert.Equal(2, (await RemindersAsync(going.Id, eventId)).Count);
        Assert.Equal(2, (await RemindersAsync(organizer.Id, eventId)).Count);
        Assert.Empty(await RemindersAsync(interested.Id, eventId));
        var pushes = stack.ConsumeWithKey(Topics.NotificationsPush, going.Id.ToString(), 3, TimeSpan.FromSeconds(5))
            .Select(record => record.Deserialize<PushRequested>()).Where(push => push.Kind == NotificationTypes.EventReminder).ToList();
        Assert.Equal(2, pushes.Count);
        Assert.All(pushes, push => Assert.Equal((NotificationTypes.EventReminder, eventId.ToString()), (push.Kind, push.Data!["eventId"])));
    }

    [Fact]
    public async Task Reminders_move_when_the_event_moves()
    {
        stack.Clock.Reset();
        var startsAt = Start(TimeSpan.FromDays(2));
        var (_, organizerClient, eventId) = await stack.Api.CreateOrganizedEventAsync(EventAt(startsAt));
        var (going, goingClient) = await stack.Api.CreateChatUserAsync("Mo Mover");
        (await goingClient.AttendAsync(eventId, "going")).EnsureSuccessStatusCode();

        var movedTo = startsAt + TimeSpan.FromDays(2);
        var moved = await organizerClient.PutAsJsonAsync($"/api/v1/events/{eventId}", EventAt(movedTo));
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        Assert.Equal([movedTo - TimeSpan.FromHours(24), movedTo - TimeSpan.FromHours(1)], await DueTimesAsync(eventId));

        stack.Clock.Set(startsAt - TimeSpan.FromHours(1) + Minute);
        await Task.Delay(Quiet);
        Assert.Empty(await RemindersAsync(going.Id, eventId));

        stack.Clock.Set(movedTo - TimeSpan.FromHours(24) + Minute);
        var reminder = Assert.Single(await UntilRemindersAsync(going.Id, eventId, 1));
        Assert.Contains($"{movedTo.UtcDateTime:ddd d MMM, HH:mm} UTC", reminder.Body);

        // Moved again after its 24 h reminder: both are planned anew for the new start, and each fires again.
        stack.Clock.Reset();
        var again = movedTo + TimeSpan.FromDays(1);
        (await organizerClient.PutAsJsonAsync($"/api/v1/events/{eventId}", EventAt(again))).EnsureSuccessStatusCode();
        Assert.Equal([again - TimeSpan.FromHours(24), again - TimeSpan.FromHours(1)], await DueTimesAsync(eventId));
        stack.Clock.Set(again - TimeSpan.FromHours(24) + Minute);
        await UntilRemindersAsync(going.Id, eventId, 2);
    }

    [Fact]
    public async Task Reminders_stop_when_the_event_is_cancelled()
    {
        stack.Clock.Reset();
        var startsAt = Start(TimeSpan.FromDays(2));
        var (organizer, organizerClient, eventId) = await stack.Api.CreateOrganizedEventAsync(EventAt(startsAt));
        Assert.Equal(2, (await DueTimesAsync(eventId)).Count);

        Assert.Equal(HttpStatusCode.NoContent, (await organizerClient.DeleteAsync($"/api/v1/events/{eventId}")).StatusCode);

        Assert.Empty(await DueTimesAsync(eventId));
        stack.Clock.Set(startsAt - TimeSpan.FromHours(1) + Minute);
        await Task.Delay(Quiet);
        Assert.Empty(await RemindersAsync(organizer.Id, eventId));
    }

    [Fact]
    public async Task A_reminder_already_past_when_the_event_is_made_is_not_planned()
    {
        stack.Clock.Reset();
        var startsAt = Start(TimeSpan.FromHours(5));
        var (_, organizerClient, eventId) = await stack.Api.CreateOrganizedEventAsync(EventAt(startsAt));
        Assert.Equal([startsAt - TimeSpan.FromHours(1)], await DueTimesAsync(eventId));

        // Moved to start in 30 minutes: no reminder is ahead any more.
        (await organizerClient.PutAsJsonAsync($"/api/v1/events/{eventId}", EventAt(Start(TimeSpan.FromMinutes(30))))).EnsureSuccessStatusCode();
        Assert.Empty(await DueTimesAsync(eventId));
    }

    [Fact]
    public async Task Several_runners_at_once_send_a_reminder_once()
    {
        stack.Clock.Reset();
        var startsAt = Start(TimeSpan.FromDays(2));
        var (organizer, _, eventId) = await stack.Api.CreateOrganizedEventAsync(EventAt(startsAt));
        var attendees = new List<Guid> { organizer.Id };
        for (var i = 0; i < 5; i++)
        {
            var (user, client) = await stack.Api.CreateChatUserAsync($"Runner fan {i}");
            (await client.AttendAsync(eventId, "going")).EnsureSuccessStatusCode();
            attendees.Add(user.Id);
        }
        // Three more runners beside the hosted one, as if Workers ran as four replicas.
        var runners = Enumerable.Range(0, 3)
            .Select(_ => ActivatorUtilities.CreateInstance<ScheduledJobRunner>(stack.Workers.Services)).ToList();

        stack.Clock.Set(startsAt - TimeSpan.FromHours(24) + Minute);
        await Task.WhenAll(runners.SelectMany(runner => Enumerable.Range(0, 3).Select(_ => Task.Run(() => runner.RunNextAsync(CancellationToken.None)))));

        foreach (var attendee in attendees)
            await UntilRemindersAsync(attendee, eventId, 1);
        await Task.Delay(Quiet);
        foreach (var attendee in attendees)
        {
            Assert.Single(await RemindersAsync(attendee, eventId));
            // Every push of the user within the wait (the organizer's RSVP pushes may come before or after the reminder).
            Assert.Single(stack.ConsumeWithKey(Topics.NotificationsPush, attendee.ToString(), 50, TimeSpan.FromSeconds(3)),
                record => record.Deserialize<PushRequested>().Kind == NotificationTypes.EventReminder);
        }
    }

    [Fact]
    public async Task Events_made_before_reminders_existed_get_theirs_from_the_backfill_migration()
    {
        // Workers' clock back to now: left ahead by an earlier test, it would run this event's reminders (and delete
        // their jobs) between the Api's save and the read below.
        stack.Clock.Reset();
        var startsAt = Start(TimeSpan.FromDays(2));
        var (_, _, eventId) = await stack.Api.CreateOrganizedEventAsync(EventAt(startsAt));
        await using var db = stack.Db();
        var planned = await db.ScheduledJobs.AsNoTracking().Where(job => job.Key.StartsWith($"reminder:{eventId}:"))
            .OrderBy(job => job.DueAt).ToListAsync();
        await db.ScheduledJobs.Where(job => job.Key.StartsWith($"reminder:{eventId}:")).ExecuteDeleteAsync();

        foreach (var operation in new EventReminderBackfill().UpOperations.OfType<SqlOperation>())
            await db.Database.ExecuteSqlRawAsync(operation.Sql);

        var backfilled = await db.ScheduledJobs.AsNoTracking().Where(job => job.Key.StartsWith($"reminder:{eventId}:"))
            .OrderBy(job => job.DueAt).ToListAsync();
        Assert.Equal(planned.Select(job => (job.Kind, job.Key, job.DueAt, Due(job.Payload))),
            backfilled.Select(job => (job.Kind, job.Key, job.DueAt, Due(job.Payload))));

        static EventReminderDue Due(string payload) => JsonSerializer.Deserialize<EventReminderDue>(payload, JsonSerializerOptions.Web)!;
    }

    /// <summary>A start <paramref name="ahead"/> of now, on a whole second (the API's timestamps).</summary>
    private static DateTimeOffset Start(TimeSpan ahead)
    {
        var at = DateTimeOffset.UtcNow + ahead;
        return new DateTimeOffset(at.Year, at.Month, at.Day, at.Hour, at.Minute, 0, TimeSpan.Zero);
    }

    private static Dictionary<string, object?> EventAt(DateTimeOffset startsAt)
    {
        var body = EventsDriver.ValidEvent();
        body["startsAt"] = startsAt.ToString("O");
        body["endsAt"] = startsAt.AddHours(3).ToString("O");
        return body;
    }

    private async Task<List<DateTimeOffset>> DueTimesAsync(Guid eventId)
    {
        await using var db = stack.Db();
        var prefix = $"reminder:{eventId}:";
        return await db.ScheduledJobs.Where(job => job.Key.StartsWith(prefix)).OrderBy(job => job.DueAt)
            .Select(job => job.DueAt).ToListAsync();
    }

    private async Task<List<Notification>> RemindersAsync(Guid userId, Guid eventId)
    {
        await using var db = stack.Db();
        var rows = await db.Notifications.AsNoTracking()
            .Where(n => n.UserId == userId && n.Type == NotificationTypes.EventReminder).ToListAsync();
        return rows.Where(n => NotificationData.FromJson(n.Data).EventId == eventId).ToList();
    }

    private Task<List<Notification>> UntilRemindersAsync(Guid userId, Guid eventId, int count) =>
        NotificationPipelineTests.UntilAsync(() => RemindersAsync(userId, eventId), rows => rows.Count >= count,
            $"{count} reminder(s) of event {eventId} for {userId}");
}
