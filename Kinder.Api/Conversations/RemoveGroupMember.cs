using System.Security.Claims;
using Kinder.Api.Infrastructure;
using Kinder.Core.Chat;
using Kinder.Core.Identity;
using Kinder.Core.Profiles;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Api.Conversations;

/// <summary><c>DELETE /conversations/{id}/members/{userId}</c>: the owner removes someone, or a member leaves.</summary>
public sealed class RemoveGroupMember(ConversationServices services)
{
    public async Task<Results<NoContent, ProblemHttpResult>> HandleAsync(Guid id, Guid userId,
        ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        var db = services.Db;
        var callerId = principal.GetUserId();
        var leaving = userId == callerId;
        var refusal = await ChatRefusals.UnlessGroupAsync(services, id, callerId, ownerOnly: !leaving, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        var now = services.Time.GetUtcNow();
        var removed = await db.InTransactionAsync(async token =>
        {
            var conversation = await db.LockConversationAsync(id, token);
            var member = await db.ConversationMembers
                .FirstOrDefaultAsync(m => m.ConversationId == id && m.UserId == userId && m.LeftAt == null, token);
            if (member is null)
            {
                return false;
            }
            (member.LeftAt, member.UnreadCount, member.Role) = (now, 0, MemberRole.Member);
            if (conversation.OwnerId == userId)
            {
                var heir = await db.ConversationMembers
                    .Where(m => m.ConversationId == id && m.LeftAt == null && m.UserId != userId)
                    .OrderBy(m => m.JoinedAt).ThenBy(m => m.UserId)
                    .FirstOrDefaultAsync(token);
                conversation.OwnerId = heir?.UserId;
                if (heir is not null)
                {
                    heir.Role = MemberRole.Owner;
                }
            }
            await db.SaveChangesAsync(token);
            await services.Signals.MembersChangedAsync(id, [userId], token);
            await db.SaveChangesAsync(token);
            return true;
        }, cancellationToken);
        if (!removed)
        {
            return Problems.NotFound("No such member.");
        }

        var names = await db.DisplayNamesAsync([callerId, userId], cancellationToken);
        var body = leaving ? $"{names[userId]} left." : $"{names[callerId]} removed {names[userId]}.";
        await services.Producer.SubmitAsync(SystemMessages.Create(id, SystemMessages.MembershipId("left", userId, now),
            body, null, now), cancellationToken);
        return TypedResults.NoContent();
    }
}
