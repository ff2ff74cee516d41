using System.Security.Claims;
using Kinder.Api.Infrastructure;
using Kinder.Core;
using Kinder.Core.Chat;
using Kinder.Core.Identity;
using Kinder.Core.Profiles;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Api.Conversations;

/// <summary><c>PATCH …/messages/{messageId}</c>: the sender changes the text within the edit window.</summary>
public sealed class EditMessage(ConversationServices services)
{
    public async Task<Results<Ok<MessageView>, ValidationProblem, ProblemHttpResult>> HandleAsync(Guid id,
        Guid messageId, EditMessageRequest request, ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        var body = request.Body!;
        var userId = principal.GetUserId();
        var refusal = ChatRefusals.Of(await services.Access.CheckWriteAsync(id, userId, cancellationToken));
        if (refusal is not null)
        {
            return refusal;
        }
        var db = services.Db;
        var message = await db.Messages.AsNoTracking().FirstOrDefaultAsync(m => m.Id == messageId && m.ConversationId == id,
            cancellationToken);
        var now = services.Time.GetUtcNow();
        var problem = message is null ? Problems.NotFound() : ChatRefusals.UnlessChangeable(message, userId, now);
        if (problem is not null)
        {
            return problem;
        }
        if (message!.DeletedAt is not null)
        {
            return Problems.Conflict(ErrorCodes.MessageDeleted, "The message was deleted.");
        }
        var view = await db.InTransactionAsync(async token =>
        {
            // A delete may have committed since the message was read: then there is nothing left to edit.
            var edited = await db.Messages.Where(m => m.Id == messageId && m.DeletedAt == null)
                .ExecuteUpdateAsync(set => set.SetProperty(m => m.Body, body).SetProperty(m => m.EditedAt, now), token);
            if (edited == 0)
            {
                return null;
            }
            var view = await services.SignalMessageUpdatedAsync(messageId, token);
            await db.SaveChangesAsync(token);
            return view;
        }, cancellationToken);
        if (view is null)
        {
            return Problems.Conflict(ErrorCodes.MessageDeleted, "The message was deleted.");
        }
        return TypedResults.Ok(view);
    }
}
