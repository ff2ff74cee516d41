using Kinder.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Core.Events;

public static class EventLocking
{
    /// <summary>
    /// Loads the event tracked and row-locked (<c>FOR UPDATE</c>) for the rest of the current transaction: every change
    /// to its attendance or capacity runs under this lock, one after another, so going never exceeds capacity.
    /// </summary>
    public static Task<Event?> LockEventAsync(this KinderDbContext db, Guid eventId, CancellationToken cancellationToken) =>
        db.Events.FromSql($"SELECT * FROM events WHERE id = {eventId} FOR UPDATE").FirstOrDefaultAsync(cancellationToken);
}
