using Kinder.Core.Data;
using Kinder.Core.PersonalData;
using Kinder.Core.Profiles;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Core.Events;

/// <summary>
/// The events a user organizes and their answers to events. Erasing cancels the events they organize (their attendees
/// are told) and takes them off every other event, each under that event's row lock so counts and the waitlist stay
/// right and a freed place is passed on.
/// </summary>
public sealed class EventsPersonalDataSource(KinderDbContext db) : IPersonalDataSource
{
    public string Section => "events";

    public async Task<object?> ExportAsync(Guid userId, CancellationToken cancellationToken)
    {
        var organized = await db.Events.AsNoTracking()
            .Where(e => e.OrganizerId == userId)
            .OrderBy(e => e.CreatedAt)
            .Select(e => new { e.Id, e.Title, e.Description, e.StartsAt, e.EndsAt, e.Address, e.City, e.Status, e.CreatedAt })
            .ToListAsync(cancellationToken);
        var attendance = await db.EventAttendances.AsNoTracking()
            .Where(a => a.UserId == userId)
            .Join(db.Events, a => a.EventId, e => e.Id, (a, e) => new { a.EventId, e.Title, a.Status, a.CreatedAt, a.UpdatedAt })
            .OrderBy(a => a.CreatedAt)
            .ToListAsync(cancellationToken);
        return organized.Count == 0 && attendance.Count == 0 ? null : new { organized, attendance };
    }

    public async Task EraseAsync(Guid userId, CancellationToken cancellationToken)
    {
        var eventIds = await db.EventAttendances.Where(a => a.UserId == userId).Select(a => a.EventId)
            .Union(db.Events.Where(e => e.OrganizerId == userId).Select(e => e.Id))
            .ToListAsync(cancellationToken);
        foreach (var eventId in eventIds)
        {
            await db.InTransactionAsync(async token =>
            {
                var locked = await db.LockEventAsync(eventId, token);
                if (locked is null)
                {
                    return false;
                }
                var now = DateTimeOffset.UtcNow;
                if (locked.OrganizerId == userId)
                {
                    await EventAttendanceRules.CancelAsync(db, locked, userId, now, token);
                }
                else
                {
                    await EventAttendanceRules.RemoveAsync(db, locked, userId, now, token);
                }
                await db.SaveChangesAsync(token);
                return true;
            }, cancellationToken);
        }
    }
}
