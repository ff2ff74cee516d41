using System.Security.Claims;
using Kinder.Api.Infrastructure;
using Kinder.Core;
using Kinder.Core.Chat;
using Kinder.Core.Data;
using Kinder.Core.Events;
using Kinder.Core.Friends;
using Kinder.Core.Identity;
using Kinder.Core.Outbox;
using Kinder.Core.Profiles;
using Kinder.Messaging;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Api.Events;

/// <summary>
/// Invites people to an event: only friends or people the caller shares a conversation with, none blocked either way
/// with the caller or the organizer. An invite lets the invitee see a private event (<see cref="EventViewers"/>); a
/// private event's invites come from its organizer or people with an answer on it. Each new invitee is written to the
/// outbox (<see cref="EventInvitedIntegrationEvent"/>, <c>Topics.Social</c>) for the <c>event_invite</c> notification.
/// </summary>
public sealed class InviteToEvent(KinderDbContext db, TimeProvider time)
{
    public async Task<Results<Accepted<EventInviteResponse>, ValidationProblem, ProblemHttpResult>> HandleAsync(Guid id,
        EventInviteRequest request, ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        var userId = principal.GetUserId();
        var wanted = request.UserIds!.Distinct().ToList();
        return await db.InTransactionAsync<Results<Accepted<EventInviteResponse>, ValidationProblem, ProblemHttpResult>>(
            async token =>
            {
                var @event = await db.Events.AsNoTracking().FirstOrDefaultAsync(e => e.Id == id, token);
                if (@event is null || !await db.CanSeeAsync(@event, userId, token))
                {
                    return Problems.NotFound();
                }
                if (@event.Status == EventStatus.Cancelled)
                {
                    return Problems.Conflict(ErrorCodes.EventCancelled, "The event was cancelled.");
                }
                if (@event.Visibility == EventVisibility.Private && @event.OrganizerId != userId
                    && !await db.EventAttendances.AnyAsync(a => a.EventId == id && a.UserId == userId
                        && a.Status != AttendanceStatus.NotGoing, token))
                {
                    return Problems.Create(StatusCodes.Status403Forbidden, ErrorCodes.Forbidden,
                        "Only the organizer and people with an answer on a private event invite to it.");
                }
                var invitable = await InvitableAsync(userId, @event.OrganizerId, wanted, token);
                if (invitable.Count < wanted.Count(other => other != @event.OrganizerId))
                {
                    return Problems.Validation(new Dictionary<string, string[]>
                    {
                        ["userIds"] = ["Invite friends or people you share a conversation with."],
                    });
                }
                var now = time.GetUtcNow();
                var invited = new List<Guid>();
                foreach (var inviteeId in invitable)
                {
                    var inserted = await db.Database.ExecuteSqlAsync($"""
                        INSERT INTO event_invites (event_id, invitee_id, inviter_id, created_at)
                        VALUES ({id}, {inviteeId}, {userId}, {now})
                        ON CONFLICT DO NOTHING
                        """, token);
                    if (inserted > 0)
                    {
                        invited.Add(inviteeId);
                    }
                }
                if (invited.Count > 0)
                {
                    db.AddIntegrationEvent(Topics.Social, id.ToString(),
                        new EventInvitedIntegrationEvent(id, userId, invited, now));
                    await db.SaveChangesAsync(token);
                }
                return TypedResults.Accepted($"/api/v1/events/{id}", new EventInviteResponse(invited));
            }, cancellationToken);
    }

    /// <summary>Of <paramref name="wanted"/>, the live accounts the caller may invite (the organizer left out). One query.</summary>
    private Task<List<Guid>> InvitableAsync(Guid userId, Guid organizerId, List<Guid> wanted,
        CancellationToken cancellationToken)
    {
        var members = db.ConversationMembers.Where(m => m.LeftAt == null);
        var fellowMembers = members.Where(mine => mine.UserId == userId)
            .Join(members, mine => mine.ConversationId, other => other.ConversationId, (_, other) => other.UserId);
        var friends = db.FriendIdsOf(userId);
        var blocked = db.BlockedEitherWay(userId);
        var blockedWithOrganizer = db.BlockedEitherWay(organizerId);
        return db.Users
            .Where(u => wanted.Contains(u.Id) && u.DeletedAt == null && u.Id != organizerId && u.Id != userId
                && (friends.Contains(u.Id) || fellowMembers.Contains(u.Id))
                && !blocked.Contains(u.Id) && !blockedWithOrganizer.Contains(u.Id))
            .Select(u => u.Id)
            .ToListAsync(cancellationToken);
    }
}
