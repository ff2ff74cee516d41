using System.Security.Claims;
using Kinder.Api.Infrastructure;
using Kinder.Core;
using Kinder.Core.Identity;
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
        var inserted = await db.Database.ExecuteSqlAsync($"""
            INSERT INTO message_reactions (message_id, user_id, emoji, created_at)
            VALUES ({messageId}, {userId}, {emoji}, {services.Time.GetUtcNow()})
            ON CONFLICT DO NOTHING
            """, cancellationToken);
        var reactions = await services.ReactionsOfAsync(messageId, cancellationToken);
        if (inserted > 0)
        {
            await services.Signals.ReactionsChangedAsync(id, messageId, reactions, cancellationToken);
        }
        return TypedResults.Ok(new ReactionsResponse(id, messageId, reactions));
    }
}
