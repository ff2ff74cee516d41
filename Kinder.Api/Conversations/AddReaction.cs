using System.Security.Claims;
using Kinder.Api.Infrastructure;
using Kinder.Core;
using Kinder.Core.Chat;
using Kinder.Core.Identity;
using Kinder.Core.Profiles;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Api.Conversations;

/// <summary><c>POST …/reactions</c>: one emoji, idempotent; answers the message's counts.</summary>
public sealed class AddReaction(ConversationServices services)
{
    public async Task<Results<Ok<ReactionsResponse>, ValidationProblem, ProblemHttpResult>> HandleAsync(Guid id,
        Guid messageId, AddReactionRequest request, ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        var userId = principal.GetUserId();
        var refusal = ChatRefusals.Of(await services.Access.CheckWriteAsync(id, userId, cancellationToken));
        if (refusal is not null)
        {
            return refusal;
        }
        var db = services.Db;
        var message = await db.Messages.AsNoTracking()
            .Where(m => m.Id == messageId && m.ConversationId == id)
            .Select(m => new { m.DeletedAt })
            .FirstOrDefaultAsync(cancellationToken);
        if (message is null)
        {
            return Problems.NotFound();
        }
        if (message.DeletedAt is not null)
        {
            return Problems.Conflict(ErrorCodes.MessageDeleted, "The message was deleted.");
        }
        var emoji = request.Emoji!;
        var reactions = await db.InTransactionAsync(async token =>
        {
            // One reaction change to a message at a time, so the counts each signal carries are the counts as of its
            // commit, and the signals of one message commit in the order they were written.
            await db.LockMessageAsync(messageId, token);
            var inserted = await db.Database.ExecuteSqlAsync($"""
                INSERT INTO message_reactions (message_id, user_id, emoji, created_at)
                VALUES ({messageId}, {userId}, {emoji}, {services.Time.GetUtcNow()})
                ON CONFLICT DO NOTHING
                """, token);
            var counts = await services.ReactionsOfAsync(messageId, token);
            if (inserted > 0)
            {
                await services.Signals.ReactionsChangedAsync(id, messageId, counts, token);
                await db.SaveChangesAsync(token);
            }
            return counts;
        }, cancellationToken);
        return TypedResults.Ok(new ReactionsResponse(id, messageId, reactions));
    }
}
