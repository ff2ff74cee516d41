using Kinder.Api.Infrastructure;
using Kinder.Core;
using Kinder.Core.Data;
using Kinder.Core.Events;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kinder.Api.Events;

/// <summary>Only the organizer changes or cancels an event.</summary>
public static class EventOrganizer
{
    /// <summary>404 when the event is missing or hidden from the caller, 403 when they see it but do not organize it.</summary>
    public static async Task<ProblemHttpResult?> RefuseUnlessOrganizerAsync(KinderDbContext db, Event? @event,
        Guid userId, CancellationToken cancellationToken)
    {
        if (@event is null || !await db.CanSeeAsync(@event, userId, cancellationToken))
        {
            return Problems.NotFound();
        }
        return @event.OrganizerId == userId
            ? null
            : Problems.Create(StatusCodes.Status403Forbidden, ErrorCodes.Forbidden, "Only the organizer can change the event.");
    }
}
