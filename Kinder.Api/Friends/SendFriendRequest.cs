using System.Security.Claims;
using Kinder.Api.Infrastructure;
using Kinder.Core;
using Kinder.Core.Chat;
using Kinder.Core.Data;
using Kinder.Core.Friends;
using Kinder.Core.Identity;
using Kinder.Core.Outbox;
using Kinder.Core.Profiles;
using Kinder.Core.Storage;
using Kinder.Messaging;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kinder.Api.Friends;

/// <summary>
/// Asks someone to be friends. Asking someone who already asked you accepts their request (200, the two are friends);
/// asking again while your request is pending answers it again (200). A decline holds back a new request for the
/// cool-down (409 <c>FRIEND_REQUEST_COOLDOWN</c>); a block either way answers like an unknown user (404).
/// </summary>
public sealed class SendFriendRequest(KinderDbContext db, ObjectStorage storage, TimeProvider time,
    IOptions<FriendOptions> options)
{
    public async Task<Results<Created<FriendRequestResponse>, Ok<FriendRequestResponse>, ValidationProblem, ProblemHttpResult>>
        HandleAsync(SendFriendRequestBody body, ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        var userId = principal.GetUserId();
        var targetId = body.UserId;
        if (targetId == userId)
        {
            return Problems.Validation(new Dictionary<string, string[]> { ["userId"] = ["You cannot befriend yourself."] });
        }
        var outcome = await db.InTransactionAsync<(FriendRequest? Request, bool Created, ProblemHttpResult? Problem)>(
            async token =>
            {
                if (!await db.Users.AnyAsync(u => u.Id == targetId && u.DeletedAt == null, token)
                    || await db.BetweenAsync(userId, targetId, token))
                {
                    return (null, false, Problems.NotFound());
                }
                await db.LockPairAsync(userId, targetId, token);
                if (await db.AreFriendsAsync(userId, targetId, token))
                {
                    return (null, false, Problems.Conflict(ErrorCodes.AlreadyFriends, "You are friends already."));
                }
                var now = time.GetUtcNow();
                var theirs = await db.FriendRequests.FirstOrDefaultAsync(r => r.RequesterId == targetId
                    && r.AddresseeId == userId && r.Status == FriendRequestStatus.Pending, token);
                if (theirs is not null)
                {
                    await FriendRequestAnswers.AcceptAsync(db, theirs, now, token);
                    return (theirs, false, null);
                }
                var mine = await db.FriendRequests.FirstOrDefaultAsync(r => r.RequesterId == userId
                    && r.AddresseeId == targetId && r.Status == FriendRequestStatus.Pending, token);
                if (mine is not null)
                {
                    return (mine, false, null);
                }
                var declinedAt = await db.FriendRequests
                    .Where(r => r.RequesterId == userId && r.AddresseeId == targetId
                        && r.Status == FriendRequestStatus.Declined)
                    .MaxAsync(r => r.RespondedAt, token);
                if (declinedAt + options.Value.DeclineCooldown > now)
                {
                    return (null, false, Problems.Conflict(ErrorCodes.FriendRequestCooldown,
                        $"Your last request was declined; you can ask again after {declinedAt + options.Value.DeclineCooldown:O}."));
                }
                var request = new FriendRequest { RequesterId = userId, AddresseeId = targetId, CreatedAt = now };
                db.FriendRequests.Add(request);
                db.AddIntegrationEvent(Topics.Social, targetId.ToString(),
                    new FriendRequestedIntegrationEvent(request.Id, userId, targetId, now));
                await db.SaveChangesAsync(token);
                return (request, true, null);
            }, cancellationToken);

        if (outcome.Problem is not null)
        {
            return outcome.Problem;
        }
        var response = await db.ToResponseAsync(storage, outcome.Request!, cancellationToken);
        return outcome.Created
            ? TypedResults.Created($"/api/v1/friends/requests/{response.Id}", response)
            : TypedResults.Ok(response);
    }
}
