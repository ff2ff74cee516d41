using System.Security.Claims;
using Kinder.Api.Identity;
using Kinder.Api.Infrastructure;
using Kinder.Core.Data;
using Kinder.Core.Identity;
using Kinder.Core.Moderation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Api.Admin;

/// <summary>
/// <c>POST /admin/users/{id}/reset-password</c> → 202: the same reset link <c>POST /auth/forgot-password</c> mails
/// (an account token, the PasswordReset email through the outbox), with the audit entry in the same commit.
/// </summary>
public sealed class SendPasswordReset(KinderDbContext db, AccountTokenService accountTokens, AccountEmails emails,
    AuditTrail audit)
{
    public async Task<Results<Accepted, ProblemHttpResult>> HandleAsync(Guid id, ClaimsPrincipal principal,
        CancellationToken cancellationToken)
    {
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id && u.DeletedAt == null, cancellationToken);
        if (user is null)
        {
            return Problems.NotFound();
        }
        var tokenId = accountTokens.Issue(user.Id, AccountTokenPurpose.PasswordReset);
        emails.QueuePasswordReset(user, tokenId);
        audit.Record(AuditActions.PasswordResetSent, principal.GetUserId(), AuditTargets.User, user.Id);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Accepted((string?)null);
    }
}
