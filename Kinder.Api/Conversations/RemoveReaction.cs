using System.Security.Claims;
using Kinder.Api.Infrastructure;
using Kinder.Core.Chat;
using Kinder.Core.Identity;
using Kinder.Core.Profiles;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Api.Conversations;

/// <summary><c>DELETE …/reactions/{emoji}</c>: takes the caller's reaction back, idempotent.</summary>
public sealed class RemoveReaction(ConversationServices services)
{
    public async Task<Results<NoContent, ProblemHttpResult>> HandleAsync(Guid id, Guid messageId, string emoji,
        ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        var userId = principal.GetUserId();
        if (await services.Access.FindForMemberAsync(id, userId, cancellationToken) is null)
        {
            return Problems.NotFound();
        }
        var db = services.Db;
        if (!await db.Messages.AnyAsync(m => m.Id == messageId && m.ConversationId == id, cancellationToken))
        {
            return Problems.NotFound();
        }
        await db.InTransactionAsync(async token =>
        {
            await db.LockMessageAsync(messageId, token);
            var removed = await db.MessageReactions
                .Where(r => r.MessageId == messageId && r.UserId == userId && r.Emoji == emoji)
                .ExecuteDeleteAsync(token);
            if (removed > 0)
            {
                await services.Signals.ReactionsChangedAsync(id, messageId, await services.ReactionsOfAsync(messageId, token),
                    token);
                await db.SaveChangesAsync(token);
            }
            return removed;
        }, cancellationToken);
        return TypedResults.NoContent();
    }
}
