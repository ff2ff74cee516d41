using System.Security.Claims;
using Kinder.Api.Infrastructure;
using Kinder.Api.Moderation;
using Kinder.Core.Data;
using Kinder.Core.Identity;
using Kinder.Core.Moderation;
using Kinder.Core.Profiles;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kinder.Api.Admin;

/// <summary>
/// <c>POST /admin/users/{id}/suspend|ban|reinstate</c>: through <see cref="UserSanctions"/>, like the moderation queue.
/// Effective at once (tokens refused, hub connections closed, upcoming events hidden); reinstatement restores access
/// and the hidden events (the user signs in again: their old sessions were revoked).
/// </summary>
public sealed class SanctionUser(KinderDbContext db, UserSanctions sanctions)
{
    public Task<Results<Ok<AdminUserResponse>, ProblemHttpResult>> SuspendAsync(Guid id, SuspendUserRequest request,
        ClaimsPrincipal principal, CancellationToken cancellationToken) =>
        ChangeAsync(id, principal, cutOff: true, (user, actorId, token) => sanctions.ApplyAsync(user, SanctionKind.Suspend,
            request.Until, request.Reason, null, actorId, AuditActions.UserSuspended, token), cancellationToken);

    public Task<Results<Ok<AdminUserResponse>, ProblemHttpResult>> BanAsync(Guid id, BanUserRequest request,
        ClaimsPrincipal principal, CancellationToken cancellationToken) =>
        ChangeAsync(id, principal, cutOff: true, (user, actorId, token) => sanctions.ApplyAsync(user, SanctionKind.Ban,
            null, request.Reason, null, actorId, AuditActions.UserBanned, token), cancellationToken);

    public Task<Results<Ok<AdminUserResponse>, ProblemHttpResult>> ReinstateAsync(Guid id, ClaimsPrincipal principal,
        CancellationToken cancellationToken) =>
        ChangeAsync(id, principal, cutOff: false, (user, actorId, token) => sanctions.ReinstateAsync(user, null, actorId, token),
            cancellationToken);

    private async Task<Results<Ok<AdminUserResponse>, ProblemHttpResult>> ChangeAsync(Guid id, ClaimsPrincipal principal,
        bool cutOff, Func<User, Guid, CancellationToken, Task> change, CancellationToken cancellationToken)
    {
        var actorId = principal.GetUserId();
        if (id == actorId)
        {
            return Problems.Create(StatusCodes.Status409Conflict, Kinder.Core.ErrorCodes.Conflict,
                "You cannot sanction or reinstate yourself.");
        }
        var user = await db.InTransactionAsync(async token =>
        {
            var locked = await db.LockActiveUserAsync(id, token);
            if (locked is not null)
            {
                await change(locked, actorId, token);
                await db.SaveChangesAsync(token);
            }
            return locked;
        }, cancellationToken);
        if (user is null)
        {
            return Problems.NotFound();
        }
        await sanctions.TakeEffectAsync(id, cutOff, cancellationToken);
        return TypedResults.Ok(ListAdminUsers.ToResponse(user));
    }
}
