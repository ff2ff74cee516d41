using System.Security.Claims;
using Kinder.Api.Infrastructure;
using Kinder.Core;
using Kinder.Core.Data;
using Kinder.Core.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Api.Profiles;

public static class CurrentUser
{
    /// <summary>The signed-in user, tracked; null when the account was deleted after the token was issued.</summary>
    public static Task<User?> FindCurrentUserAsync(this KinderDbContext db, ClaimsPrincipal principal,
        CancellationToken cancellationToken)
    {
        var userId = principal.GetUserId();
        return db.Users.FirstOrDefaultAsync(user => user.Id == userId && user.DeletedAt == null, cancellationToken);
    }

    /// <summary>A valid token whose account is gone: the client should sign in again.</summary>
    public static ProblemHttpResult Gone() =>
        Problems.Create(StatusCodes.Status401Unauthorized, ErrorCodes.Unauthorized, "The account no longer exists.");
}
