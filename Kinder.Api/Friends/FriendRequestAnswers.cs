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

namespace Kinder.Api.Friends;

/// <summary>
/// Accepting, declining (the addressee) and cancelling (the requester) a request, each under the pair's lock. Someone
/// else's request, or one across a block, is 404; answering again the way it was answered is harmless.
/// </summary>
public sealed class FriendRequestAnswers(KinderDbContext db, ObjectStorage storage, TimeProvider time)
{
    private enum Answer
    {
        Accept,
        Decline,
        Cancel,
    }

    public async Task<Results<Ok<FriendRequestResponse>, ProblemHttpResult>> AcceptAsync(Guid requestId,
        ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        var (request, problem) = await AnswerAsync(requestId, principal.GetUserId(), Answer.Accept, cancellationToken);
        return problem ?? (Results<Ok<FriendRequestResponse>, ProblemHttpResult>)TypedResults.Ok(
            await db.ToResponseAsync(storage, request!, cancellationToken));
    }

    public async Task<Results<NoContent, ProblemHttpResult>> DeclineAsync(Guid requestId, ClaimsPrincipal principal,
        CancellationToken cancellationToken) =>
        (await AnswerAsync(requestId, principal.GetUserId(), Answer.Decline, cancellationToken)).Problem
        ?? (Results<NoContent, ProblemHttpResult>)TypedResults.NoContent();

    public async Task<Results<NoContent, ProblemHttpResult>> CancelAsync(Guid requestId, ClaimsPrincipal principal,
        CancellationToken cancellationToken) =>
        (await AnswerAsync(requestId, principal.GetUserId(), Answer.Cancel, cancellationToken)).Problem
        ?? (Results<NoContent, ProblemHttpResult>)TypedResults.NoContent();

    /// <summary>Both friendship rows, the request accepted, and the accepted event for the notifications hook.</summary>
    public static async Task AcceptAsync(KinderDbContext db, FriendRequest request, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        request.Status = FriendRequestStatus.Accepted;
        request.RespondedAt = now;
        await db.BefriendAsync(request.RequesterId, request.AddresseeId, now, cancellationToken);
        db.AddIntegrationEvent(Topics.Social, request.RequesterId.ToString(),
            new FriendRequestAcceptedIntegrationEvent(request.Id, request.RequesterId, request.AddresseeId, now));
        await db.SaveChangesAsync(cancellationToken);
    }

    private Task<(FriendRequest? Request, ProblemHttpResult? Problem)> AnswerAsync(Guid requestId, Guid userId,
        Answer answer, CancellationToken cancellationToken) =>
        db.InTransactionAsync<(FriendRequest?, ProblemHttpResult?)>(async token =>
        {
            // Whose it is decides who may answer; the pair's lock comes before reading its state.
            var pair = await db.FriendRequests.Where(r => r.Id == requestId)
                .Select(r => new { r.RequesterId, r.AddresseeId }).FirstOrDefaultAsync(token);
            var mine = pair is not null && (answer == Answer.Cancel ? pair.RequesterId : pair.AddresseeId) == userId;
            if (pair is null || !mine)
            {
                return (null, Problems.NotFound());
            }
            await db.LockPairAsync(pair.RequesterId, pair.AddresseeId, token);
            var request = await db.FriendRequests.SingleAsync(r => r.Id == requestId, token);
            var done = answer switch
            {
                Answer.Accept => FriendRequestStatus.Accepted,
                Answer.Decline => FriendRequestStatus.Declined,
                _ => FriendRequestStatus.Cancelled,
            };
            if (request.Status == done)
            {
                return (request, null);
            }
            if (request.Status != FriendRequestStatus.Pending)
            {
                return (null, Problems.Conflict(ErrorCodes.FriendRequestNotPending,
                    $"This request was {request.Status.ToString().ToLowerInvariant()} already."));
            }
            if (answer == Answer.Accept && await db.BetweenAsync(pair.RequesterId, pair.AddresseeId, token))
            {
                return (null, Problems.NotFound());
            }
            var now = time.GetUtcNow();
            if (answer == Answer.Accept)
            {
                await AcceptAsync(db, request, now, token);
                return (request, null);
            }
            request.Status = done;
            request.RespondedAt = now;
            await db.SaveChangesAsync(token);
            return (request, null);
        }, cancellationToken);
}
