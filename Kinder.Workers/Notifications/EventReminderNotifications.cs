using Kinder.Core.Data;
using Kinder.Core.Events;
using Kinder.Core.Notifications;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Workers.Notifications;

/// <summary>
/// A due <see cref="ScheduledJobKinds.EventReminder"/>: everyone going at this moment gets an <c>event_reminder</c>
/// (feed, push, email as they set). The cause names the event, the offset and the start it is for, so a job run again
/// after a crash writes nothing twice, while a reminder re-planned for a new start is a new one.
/// </summary>
public sealed class EventReminderNotifications(KinderDbContext db, NotificationWriter writer, TimeProvider time)
{
    public async Task RunAsync(EventReminderDue due, CancellationToken cancellationToken)
    {
        var offset = EventReminders.Offsets.SingleOrDefault(o => o.Name == due.Offset);
        var meetup = await db.Events.AsNoTracking().Where(e => e.Id == due.EventId)
            .Select(e => new { e.Title, e.StartsAt, e.Status, e.RemovedAt, e.Address, e.City })
            .SingleOrDefaultAsync(cancellationToken);
        // Cancelling deletes the jobs; these guard a job that outlived its event anyway (hidden, erased, already begun).
        if (offset is null || meetup is null || meetup.Status != EventStatus.Published || meetup.RemovedAt is not null
            || meetup.StartsAt <= time.GetUtcNow())
            return;
        var going = await db.EventAttendances.AsNoTracking()
            .Where(a => a.EventId == due.EventId && a.Status == AttendanceStatus.Going)
            .Select(a => a.UserId).ToListAsync(cancellationToken);
        var place = meetup.Address ?? meetup.City;
        var body = $"{offset.Lead}: {meetup.StartsAt.UtcDateTime:ddd d MMM, HH:mm} UTC" + (place is null ? "." : $", {place}.");
        var cause = new NotificationCause(NotificationTypes.EventReminder,
            $"{NotificationTypes.EventReminder}:{due.EventId}:{offset.Name}:{meetup.StartsAt.ToUnixTimeSeconds()}",
            meetup.Title, body, new NotificationData(EventId: due.EventId));
        await writer.WriteAsync(cause, going, cancellationToken);
    }
}
