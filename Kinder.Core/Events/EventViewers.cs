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
    /// Public events are visible to everyone, private ones to the organizer and the people involved (with an answer on
    /// it, or invited: <see cref="EventInvite"/>); never to someone the organizer blocked or who blocked the organizer
    /// (as discovery leaves them out). An event a moderator removed, or hidden while its organizer is suspended, is
    /// seen by no one (moderators read it through the moderation queue).
    /// </summary>
    public static bool CanSee(Event @event, Guid viewerId, bool isInvolved, bool blockedWithOrganizer) =>
        IsShown(@event)
        && (@event.OrganizerId == viewerId
            || (!blockedWithOrganizer && (@event.Visibility == EventVisibility.Public || isInvolved)));

    /// <summary>Neither removed by a moderator nor hidden with its suspended organizer.</summary>
    public static bool IsShown(Event @event) => @event.RemovedAt is null && @event.Status != EventStatus.Hidden;

    /// <summary><see cref="CanSee"/>, reading the viewer's answer, invite and blocks.</summary>
    public static async Task<bool> CanSeeAsync(this KinderDbContext db, Event @event, Guid viewerId,
        CancellationToken cancellationToken)
    {
        if (!IsShown(@event))
            return false;
        if (@event.OrganizerId == viewerId)
            return true;
        var isInvolved = @event.Visibility != EventVisibility.Public
            && await db.InvolvedEventIds([@event.Id], viewerId).AnyAsync(cancellationToken);
        var blocked = await db.BetweenAsync(viewerId, @event.OrganizerId, cancellationToken);
        return CanSee(@event, viewerId, isInvolved, blocked);
    }

    /// <summary>
    /// The events <c>@viewer</c> answered or was invited to, for hand-written SQL (event search): with the organizer's
    /// own, the private events they may see.
    /// </summary>
    public const string InvolvedEventIdsSql = """
        SELECT a.event_id FROM event_attendances a WHERE a.user_id = @viewer
        UNION SELECT i.event_id FROM event_invites i WHERE i.invitee_id = @viewer
        """;

    /// <summary>Which of <paramref name="eventIds"/> the viewer answered or was invited to (one statement).</summary>
    public static IQueryable<Guid> InvolvedEventIds(this KinderDbContext db, IReadOnlyCollection<Guid> eventIds,
        Guid viewerId) =>
        db.EventAttendances.Where(a => eventIds.Contains(a.EventId) && a.UserId == viewerId).Select(a => a.EventId)
            .Union(db.EventInvites.Where(i => eventIds.Contains(i.EventId) && i.InviteeId == viewerId)
                .Select(i => i.EventId));
}
