using Kinder.Core.Chat;
using Kinder.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Core.Events;

/// <summary>
/// Who may see an event: the Api's event reads, attendance and attendee lists, and chat's event invites ask the same
/// rule. Not seeing an event is answered like it not existing (docs/api/README.md, Conventions).
/// </summary>
public static class EventViewers
{
    /// <summary>
    /// Public events are visible to everyone, private ones to the organizer and the people with an answer on them;
    /// never to someone the organizer blocked or who blocked the organizer (as discovery leaves them out).
    /// </summary>
    public static bool CanSee(Event @event, Guid viewerId, bool hasAnswered, bool blockedWithOrganizer) =>
        @event.OrganizerId == viewerId
        || (!blockedWithOrganizer && (@event.Visibility == EventVisibility.Public || hasAnswered));

    /// <summary><see cref="CanSee"/>, reading the viewer's answer and blocks.</summary>
    public static async Task<bool> CanSeeAsync(this KinderDbContext db, Event @event, Guid viewerId,
        CancellationToken cancellationToken)
    {
        if (@event.OrganizerId == viewerId)
            return true;
        var hasAnswered = @event.Visibility != EventVisibility.Public
            && await db.EventAttendances.AnyAsync(a => a.EventId == @event.Id && a.UserId == viewerId, cancellationToken);
        var blocked = await db.BetweenAsync(viewerId, @event.OrganizerId, cancellationToken);
        return CanSee(@event, viewerId, hasAnswered, blocked);
    }
}
