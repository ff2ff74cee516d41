using System.Security.Claims;
using Kinder.Api.Infrastructure;
using Kinder.Core.Data;
using Kinder.Core.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Api.Notifications;

/// <summary>Marking the caller's notifications read, and deleting one. Someone else's notification is a 404.</summary>
public sealed class NotificationReads(KinderDbContext db, TimeProvider time)
{
    public async Task<Results<NoContent, ProblemHttpResult>> ReadAsync(Guid id, ClaimsPrincipal principal,
        CancellationToken cancellationToken)
    {
        var userId = principal.GetUserId();
        var now = time.GetUtcNow();
        var mine = db.Notifications.Where(n => n.Id == id && n.UserId == userId);
        // Already read: the first time stays.
        if (await mine.Where(n => n.ReadAt == null).ExecuteUpdateAsync(n => n.SetProperty(x => x.ReadAt, now), cancellationToken) == 0
            && !await mine.AnyAsync(cancellationToken))
            return Problems.NotFound();
        return TypedResults.NoContent();
    }

    public async Task<NoContent> ReadAllAsync(ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        var userId = principal.GetUserId();
        var now = time.GetUtcNow();
        await db.Notifications.Where(n => n.UserId == userId && n.ReadAt == null)
            .ExecuteUpdateAsync(n => n.SetProperty(x => x.ReadAt, now), cancellationToken);
        return TypedResults.NoContent();
    }

    public async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(Guid id, ClaimsPrincipal principal,
        CancellationToken cancellationToken)
    {
        var userId = principal.GetUserId();
        return await db.Notifications.Where(n => n.Id == id && n.UserId == userId).ExecuteDeleteAsync(cancellationToken) == 0
            ? Problems.NotFound()
            : TypedResults.NoContent();
    }
}
