using System.Text.Json;
using Kinder.Core.Data;
using Kinder.Core.Events;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Core.Notifications;

/// <summary>
/// The <c>event_reminder</c> jobs of an event: one per <see cref="Offsets"/> entry, due that long before the start, as
/// <see cref="ScheduledJob"/>s keyed by (event, offset). They are planned in the transaction that creates the event,
/// moved (same keys, new due time) in the one that reschedules it and deleted in the one that cancels it, so they always
/// follow the event. A reminder already past when planned is not planned (an event made 30 min ahead gets no 1 h one).
/// </summary>
public static class EventReminders
{
    public static readonly IReadOnlyList<EventReminderOffset> Offsets =
    [
        new("24h", TimeSpan.FromHours(24), "Tomorrow"),
        new("1h", TimeSpan.FromHours(1), "In an hour"),
    ];

    public static string JobKey(Guid eventId, EventReminderOffset offset) => $"reminder:{eventId}:{offset.Name}";

    /// <summary>A new event: its reminders join the caller's unit of work (saved with the event).</summary>
    public static void Plan(KinderDbContext db, Event meetup, DateTimeOffset now)
    {
        foreach (var (offset, due) in Due(meetup.StartsAt, now))
        {
            db.ScheduledJobs.Add(new ScheduledJob
            {
                Kind = ScheduledJobKinds.EventReminder, Key = JobKey(meetup.Id, offset), DueAt = due, CreatedAt = now,
                Payload = Payload(meetup.Id, offset, meetup.StartsAt),
            });
        }
    }

    /// <summary>
    /// The event's start moved: each reminder still ahead is (re)planned for the new start — also one that already fired
    /// for the old start — and one now past is deleted. Runs at once, in the caller's transaction.
    /// </summary>
    public static async Task ReplanAsync(KinderDbContext db, Event meetup, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var due = Due(meetup.StartsAt, now).ToList();
        foreach (var (offset, dueAt) in due)
        {
            await ScheduledJobPlans.UpsertAsync(db, ScheduledJobKinds.EventReminder, JobKey(meetup.Id, offset), dueAt,
                Payload(meetup.Id, offset, meetup.StartsAt), now, keepPayload: false, cancellationToken);
        }
        var past = Offsets.Where(offset => due.All(item => item.Offset != offset)).Select(offset => JobKey(meetup.Id, offset)).ToList();
        if (past.Count > 0)
            await db.ScheduledJobs.Where(job => past.Contains(job.Key)).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>The event was cancelled or removed: its reminders go (at once, in the caller's transaction).</summary>
    public static Task<int> CancelAsync(KinderDbContext db, Guid eventId, CancellationToken cancellationToken)
    {
        var keys = Offsets.Select(offset => JobKey(eventId, offset)).ToList();
        return db.ScheduledJobs.Where(job => keys.Contains(job.Key)).ExecuteDeleteAsync(cancellationToken);
    }

    private static IEnumerable<(EventReminderOffset Offset, DateTimeOffset DueAt)> Due(DateTimeOffset startsAt, DateTimeOffset now) =>
        Offsets.Select(offset => (offset, startsAt - offset.Before)).Where(item => item.Item2 > now);

    private static string Payload(Guid eventId, EventReminderOffset offset, DateTimeOffset startsAt) =>
        JsonSerializer.Serialize(new EventReminderDue(eventId, offset.Name, startsAt), JsonSerializerOptions.Web);
}

/// <summary>A reminder <paramref name="Before"/> the start; <paramref name="Name"/> is in the job key and the cause.</summary>
public sealed record EventReminderOffset(string Name, TimeSpan Before, string Lead);

/// <summary>Payload of <see cref="ScheduledJobKinds.EventReminder"/>: the start it was planned for.</summary>
public sealed record EventReminderDue(Guid EventId, string Offset, DateTimeOffset StartsAt);
