using System.Security.Claims;
using Kinder.Core.Data;
using Kinder.Core.Events;
using Kinder.Core.Identity;
using Kinder.Core.Profiles;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kinder.Api.Events;

/// <summary>Cancels an event (organizer only) and tells its attendees; cancelling twice is harmless.</summary>
public sealed class CancelEvent(KinderDbContext db, TimeProvider time)
{
    public async Task<Results<NoContent, ProblemHttpResult>> HandleAsync(Guid id, ClaimsPrincipal principal,
        CancellationToken cancellationToken)
    {
        var userId = principal.GetUserId();
        var refusal = await db.InTransactionAsync(async token =>
        {
            var @event = await db.LockEventAsync(id, token);
            var refused = await EventOrganizer.RefuseUnlessOrganizerAsync(db, @event, userId, token);
            if (refused is not null || @event!.Status == EventStatus.Cancelled)
            {
                return refused;
            }
            await EventAttendanceRules.CancelAsync(db, @event, userId, time.GetUtcNow(), token);
            await db.SaveChangesAsync(token);
            return null;
        }, cancellationToken);
        return refusal is null ? TypedResults.NoContent() : refusal;
    }
}
