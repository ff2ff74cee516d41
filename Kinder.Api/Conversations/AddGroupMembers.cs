using System.Security.Claims;
using Kinder.Api.Infrastructure;
using Kinder.Core.Chat;
using Kinder.Core.Identity;
using Kinder.Core.Profiles;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Api.Conversations;

/// <summary><c>POST /conversations/{id}/members</c>: the group's owner adds people; newcomers start at the present.</summary>
public sealed class AddGroupMembers(ConversationServices services)
{
    public async Task<Results<Ok<ConversationResponse>, ValidationProblem, ProblemHttpResult>> HandleAsync(Guid id,
        AddMembersRequest request, ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        var db = services.Db;
        var userId = principal.GetUserId();
        var userIds = AddMembersRequestValidator.Others(request.UserIds, userId);
        var refusal = await ChatRefusals.UnlessGroupAsync(services, id, userId, ownerOnly: true, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }
        var unknown = await db.UnknownUsersAsync(userIds, cancellationToken);
        if (unknown.Count > 0)
        {
            return Problems.Validation(new Dictionary<string, string[]>
            {
                ["userIds"] = [$"No such user: {string.Join(", ", unknown)}."],
            });
        }
        if ((await services.Access.BlockedEitherWayAmongAsync(userId, userIds, cancellationToken)).Count > 0)
        {
            return ChatRefusals.GroupBlocked();
        }

        var now = services.Time.GetUtcNow();
        var added = await db.InTransactionAsync(async token =>
        {
            var conversation = await db.LockConversationAsync(id, token);
            var members = await db.ConversationMembers.Where(m => m.ConversationId == id).ToListAsync(token);
            var joining = userIds.Where(memberId => !members.Any(m => m.UserId == memberId && m.IsActive)).ToList();
            if (members.Count(m => m.IsActive) + joining.Count > Conversation.MaxGroupMembers)
            {
                return null;
            }
            foreach (var memberId in joining)
            {
                var member = members.FirstOrDefault(m => m.UserId == memberId);
                if (member is null)
                {
                    member = new ConversationMember { ConversationId = id, UserId = memberId };
                    db.ConversationMembers.Add(member);
                }
                // Newcomers start at the present: history is there to read, but none of it counts as unread.
                (member.LeftAt, member.Role, member.JoinedAt, member.ArchivedAt) = (null, MemberRole.Member, now, null);
                (member.LastReadSeq, member.UnreadCount) = (conversation.LastSeq, 0);
            }
            await db.SaveChangesAsync(token);
            if (joining.Count > 0)
            {
                await services.Signals.MembersChangedAsync(id, joining, token);
                await db.SaveChangesAsync(token);
            }
            return joining;
        }, cancellationToken);
        if (added is null)
        {
            return Problems.Validation(new Dictionary<string, string[]>
            {
                ["userIds"] = [$"A group has at most {Conversation.MaxGroupMembers} members."],
            });
        }

        if (added.Count > 0)
        {
            var names = await db.DisplayNamesAsync([userId, .. added], cancellationToken);
            await services.Producer.SubmitAsync(SystemMessages.Create(id,
                SystemMessages.MembershipId("added", added[0], now), $"{names[userId]} added {string.Join(", ", added.Select(a => names[a]))}.",
                null, now), cancellationToken);
        }
        return TypedResults.Ok((await services.ReadOneAsync(id, userId, cancellationToken))!);
    }
}
