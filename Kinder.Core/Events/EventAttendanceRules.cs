using Kinder.Core.Data;
using Kinder.Messaging;
using Kinder.Core.Outbox;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Core.Events;

/// <summary>
/// Attendance changes on an event the caller has locked (<see cref="EventLocking.LockEventAsync"/>): the counts,
/// the waitlist and its promotions, and their outbox events. Nothing here saves; the caller commits.
/// </summary>
public static class EventAttendanceRules
{
    /// <summary>
    /// Moves <paramref name="userId"/> to <paramref name="requested"/> (a full event turns going into waitlisted),
    /// promotes from the waitlist if that freed a place, and returns the user's attendance.
    /// </summary>
    public static async Task<EventAttendance> ChangeAsync(KinderDbContext db, Event locked, Guid userId,
        AttendanceStatus requested, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var attendance = await db.EventAttendances
            .FirstOrDefaultAsync(a => a.EventId == locked.Id && a.UserId == userId, cancellationToken);
        var previous = attendance?.Status;
        var target = requested;
        if (requested == AttendanceStatus.Going && previous is not AttendanceStatus.Going && locked.IsFull)
        {
            target = AttendanceStatus.Waitlisted;
        }
        // Asking for going again while waiting keeps the place in line.
        if (previous == target || (requested == AttendanceStatus.Going && previous == AttendanceStatus.Waitlisted))
        {
            return attendance!;
        }

        if (attendance is null)
        {
            attendance = new EventAttendance { EventId = locked.Id, UserId = userId, CreatedAt = now };
            db.EventAttendances.Add(attendance);
        }
        Count(locked, previous, -1);
        Count(locked, target, +1);
        attendance.Status = target;
        attendance.Sequence = ++locked.AttendanceSequence;
        attendance.UpdatedAt = now;
        db.AddIntegrationEvent(Topics.Attendance, locked.Id.ToString(),
            new AttendanceChangedIntegrationEvent(locked.Id, userId, target, previous, now));

        if (previous == AttendanceStatus.Going)
        {
            await PromoteAsync(db, locked, now, cancellationToken);
        }
        return attendance;
    }

    /// <summary>
    /// Takes <paramref name="userId"/> off the locked event altogether (their account is being erased): the row goes,
    /// the counts follow, and a freed place is filled from the waitlist.
    /// </summary>
    public static async Task RemoveAsync(KinderDbContext db, Event locked, Guid userId, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var attendance = await db.EventAttendances
            .FirstOrDefaultAsync(a => a.EventId == locked.Id && a.UserId == userId, cancellationToken);
        if (attendance is null)
        {
            return;
        }
        db.EventAttendances.Remove(attendance);
        Count(locked, attendance.Status, -1);
        locked.AttendanceSequence++;
        db.AddIntegrationEvent(Topics.Attendance, locked.Id.ToString(),
            new AttendanceChangedIntegrationEvent(locked.Id, userId, AttendanceStatus.NotGoing, attendance.Status, now));
        if (attendance.Status == AttendanceStatus.Going)
        {
            await PromoteAsync(db, locked, now, cancellationToken);
        }
    }

    /// <summary>
    /// Cancels the locked event and tells its attendees; nothing happens to an event already cancelled.
    /// <paramref name="cancelledBy"/> (organizer or moderator) travels with the record to the refunds' audit entries.
    /// </summary>
    public static async Task CancelAsync(KinderDbContext db, Event locked, Guid? cancelledBy, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        if (locked.Status == EventStatus.Cancelled)
        {
            return;
        }
        locked.Status = EventStatus.Cancelled;
        locked.CancelledAt = now;
        locked.UpdatedAt = now;
        var attendeeIds = await AffectedAttendeeIdsAsync(db, locked, cancellationToken);
        db.AddIntegrationEvent(Topics.EventChanges, locked.Id.ToString(),
            new EventCancelledIntegrationEvent(locked.Id, locked.Title, now, attendeeIds, cancelledBy));
        await Notifications.EventReminders.CancelAsync(db, locked.Id, cancellationToken);
        // Its discussion is read-only from now on (also when the organizer's account is erased).
        await Chat.EventDiscussion.FollowAsync(db, locked, now, cancellationToken);
    }

    /// <summary>Fills free places from the front of the waitlist (after a place freed or capacity rose).</summary>
    public static async Task PromoteAsync(KinderDbContext db, Event locked, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var free = locked.Capacity is { } capacity ? capacity - locked.GoingCount : int.MaxValue;
        // A paid event's place is offered for a claim window instead (Payments.PaidWaitlist): going needs a ticket.
        if (free <= 0 || locked.PriceMinor > 0)
        {
            return;
        }
        var first = await db.EventAttendances
            .Where(a => a.EventId == locked.Id && a.Status == AttendanceStatus.Waitlisted)
            .OrderBy(a => a.Sequence)
            .Take(free)
            .ToListAsync(cancellationToken);
        foreach (var promoted in first)
        {
            promoted.Status = AttendanceStatus.Going;
            promoted.Sequence = ++locked.AttendanceSequence;
            promoted.UpdatedAt = now;
            locked.GoingCount++;
            db.AddIntegrationEvent(Topics.Attendance, locked.Id.ToString(),
                new AttendanceChangedIntegrationEvent(locked.Id, promoted.UserId, AttendanceStatus.Going,
                    AttendanceStatus.Waitlisted, now));
            db.AddIntegrationEvent(Topics.Attendance, locked.Id.ToString(),
                new WaitlistPromotedIntegrationEvent(locked.Id, promoted.UserId, now));
        }
    }

    /// <summary>1-based place in line of a waitlisted attendance; null for any other status.</summary>
    public static async Task<int?> WaitlistPositionAsync(KinderDbContext db, EventAttendance attendance,
        CancellationToken cancellationToken)
    {
        if (attendance.Status != AttendanceStatus.Waitlisted)
        {
            return null;
        }
        return await db.EventAttendances.CountAsync(a => a.EventId == attendance.EventId
            && a.Status == AttendanceStatus.Waitlisted && a.Sequence <= attendance.Sequence, cancellationToken);
    }

    /// <summary>Who to tell about a change to the event: everyone interested, going or waitlisted but the organizer.</summary>
    public static Task<List<Guid>> AffectedAttendeeIdsAsync(KinderDbContext db, Event @event,
        CancellationToken cancellationToken) =>
        db.EventAttendances
            .Where(a => a.EventId == @event.Id && a.UserId != @event.OrganizerId && a.Status != AttendanceStatus.NotGoing)
            .OrderBy(a => a.Sequence)
            .Select(a => a.UserId)
            .ToListAsync(cancellationToken);

    private static void Count(Event @event, AttendanceStatus? status, int delta)
    {
        switch (status)
        {
            case AttendanceStatus.Going:
                @event.GoingCount += delta;
                break;
            case AttendanceStatus.Interested:
                @event.InterestedCount += delta;
                break;
        }
    }
}
