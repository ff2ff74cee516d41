using System.Security.Claims;
using Kinder.Api.Infrastructure;
using Kinder.Core.Identity;
using Kinder.Core.Profiles;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Api.Conversations;

/// <summary><c>DELETE …/messages/{messageId}</c>: the sender deletes within the edit window; the seq stays.</summary>
public sealed class DeleteMessage(ConversationServices services)
{
    public async Task<Results<NoContent, ProblemHttpResult>> HandleAsync(Guid id, Guid messageId,
        ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        var userId = principal.GetUserId();
        if (await services.Access.FindForMemberAsync(id, userId, cancellationToken) is null)
        {
            return Problems.NotFound();
        }
        var db = services.Db;
        var message = await db.Messages.AsNoTracking()
            .FirstOrDefaultAsync(m => m.Id == messageId && m.ConversationId == id, cancellationToken);
        var now = services.Time.GetUtcNow();
        if (message is null)
        {
            return Problems.NotFound();
        }
        if (message.DeletedAt is not null && message.SenderId == userId)
        {
            return TypedResults.NoContent();
        }
        var problem = ChatRefusals.UnlessChangeable(message, userId, now);
        if (problem is not null)
        {
            return problem;
        }

        await db.InTransactionAsync(token => services.DeleteMessageAsync(message, now, token), cancellationToken);
        return TypedResults.NoContent();
    }
}
