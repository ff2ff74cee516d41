using System.Security.Claims;
using Kinder.Api.Infrastructure;
using Kinder.Core.Data;
using Kinder.Core.Devices;
using Kinder.Core.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Api.Devices;

/// <summary>Removes one of the caller's push tokens; another user's token answers 404 like an unknown one.</summary>
public sealed class DeregisterDevice(KinderDbContext db)
{
    public async Task<Results<NoContent, ProblemHttpResult>> HandleAsync(string token, ClaimsPrincipal principal,
        CancellationToken cancellationToken)
    {
        var userId = principal.GetUserId();
        var lowerCase = token.ToLowerInvariant(); // APNs tokens are stored lower-case; FCM tokens are case-sensitive
        var deleted = await db.Devices.Where(d => d.UserId == userId
                && (d.Token == token || (d.Platform == DevicePlatform.Apns && d.Token == lowerCase)))
            .ExecuteDeleteAsync(cancellationToken);
        return deleted == 0 ? Problems.NotFound() : TypedResults.NoContent();
    }
}
