using System.Security.Claims;
using Kinder.Api.Infrastructure;
using Kinder.Core;
using Kinder.Core.Chat;
using Kinder.Core.Identity;
using Kinder.Core.Profiles;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Api.Conversations;

/// <summary>
/// API.md, Conversations and messages: history by seq, sending (through the chat path), read cursors, reactions, and
/// editing or deleting one's own messages within <see cref="Message.EditWindow"/>. Non-members get 404 for all of it.
/// </summary>
public static class MessagesApi
{
    public static IEndpointRouteBuilder MapMessagesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/conversations/{id:guid}").WithTags("Messages").RequireAuthorization()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/messages", GetMessages)
            .WithName("GetMessages")
            .WithSummary("Messages by seq, ascending. Without beforeSeq/afterSeq: the latest page. beforeSeq pages back "
                + "through history (nextCursor = the older page, null at the start); afterSeq catches up with no gap "
                + "(nextCursor = the newer page, null when caught up). Pass nextCursor as cursor to go on.")
            .ProducesValidationProblem();
        // A verified email and the send limit are the send gate's, shared with the hub (MessageSendGate).
        group.MapPost("/messages", SendMessage)
            .WithName("SendMessage")
            .WithSummary("Send a message: 202 once it is safely queued, with its id; the same clientMessageId again is "
                + "the same message. It arrives (with its seq) as message:new.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        group.MapPut("/read", MarkRead)
            .WithName("MarkConversationRead")
            .WithSummary("You have read up to seq (it only moves forward); your unread count follows on every device.")
            .ProducesValidationProblem();
        group.MapPost("/messages/{messageId:guid}/reactions", AddReaction)
            .RequireAuthorization(KinderPolicies.VerifiedUser)
            .WithName("AddReaction")
            .WithSummary("React with one emoji (idempotent); answers the message's reaction counts.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapDelete("/messages/{messageId:guid}/reactions/{emoji}", RemoveReaction)
            .WithName("RemoveReaction")
            .WithSummary("Take your reaction back (idempotent).");
        group.MapPatch("/messages/{messageId:guid}", EditMessage)
            .RequireAuthorization(KinderPolicies.VerifiedUser)
            .WithName("EditMessage")
            .WithSummary("Change your own message's text within 15 minutes of sending it (403 NOT_MESSAGE_AUTHOR, "
                + "403 EDIT_WINDOW_CLOSED).")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapDelete("/messages/{messageId:guid}", DeleteMessage)
            .WithName("DeleteMessage")
            .WithSummary("Delete your own message within 15 minutes of sending it: it keeps its seq, loses its body and "
                + "attachments. Idempotent.")
            .ProducesProblem(StatusCodes.Status403Forbidden);
        return app;
    }

    public static async Task<Results<Ok<MessagePage>, ValidationProblem, ProblemHttpResult>> GetMessages(Guid id,
        long? beforeSeq, long? afterSeq, int? limit, string? cursor, ClaimsPrincipal principal,
        ConversationServices services, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var pageSize = errors.PageSize(limit);
        if (beforeSeq is not null && afterSeq is not null)
        {
            errors.Add("afterSeq", "Give beforeSeq or afterSeq, not both.");
        }
        if (beforeSeq is < 1)
        {
            errors.Add("beforeSeq", "Seqs start at 1.");
        }
        if (afterSeq is < 0)
        {
            errors.Add("afterSeq", "Seqs start at 1; afterSeq=0 reads from the beginning.");
        }
        if (!MessageCursor.TryDecode(cursor, out var continued))
        {
            errors.UnknownCursor();
        }
        else if (continued is not null && (beforeSeq is not null || afterSeq is not null))
        {
            errors.Add("cursor", "A cursor already says where to go on; leave out beforeSeq and afterSeq.");
        }
        if (!errors.IsEmpty)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        var db = services.Db;
        if (await services.Access.FindForMemberAsync(id, principal.GetUserId(), cancellationToken) is null)
        {
            return Problems.NotFound();
        }

        var forward = continued?.Forward ?? afterSeq is not null;
        var from = continued?.Seq ?? (forward ? afterSeq : beforeSeq);
        var messages = db.Messages.AsNoTracking().Where(m => m.ConversationId == id);
        List<Message> rows;
        string? next;
        if (forward)
        {
            rows = await messages.Where(m => m.Seq > from!.Value).OrderBy(m => m.Seq).Take(pageSize + 1)
                .ToListAsync(cancellationToken);
            var more = rows.Count > pageSize;
            rows = rows.Take(pageSize).ToList();
            next = more ? new MessageCursor(Forward: true, rows[^1].Seq).Encode() : null;
        }
        else
        {
            if (from is not null)
            {
                messages = messages.Where(m => m.Seq < from.Value);
            }
            rows = await messages.OrderByDescending(m => m.Seq).Take(pageSize + 1).ToListAsync(cancellationToken);
            var more = rows.Count > pageSize;
            rows = rows.Take(pageSize).Reverse().ToList();
            next = more ? new MessageCursor(Forward: false, rows[0].Seq).Encode() : null;
        }
        return TypedResults.Ok(new MessagePage(await db.ViewsAsync(services.Storage, rows, cancellationToken), next));
    }

    public static async Task<Results<Accepted<MessageAcceptedResponse>, ValidationProblem, ProblemHttpResult>> SendMessage(
        Guid id, SendMessageRequest request, ClaimsPrincipal principal, MessageSubmitter submitter,
        HttpContext httpContext, CancellationToken cancellationToken)
    {
        var result = await submitter.SubmitAsync(new SendMessageCommand(id, principal, request.ClientMessageId,
            request.Type, request.Body, request.AttachmentKeys, request.EventId), cancellationToken);
        return result switch
        {
            SendMessageResult.Accepted accepted => TypedResults.Accepted((string?)null,
                new MessageAcceptedResponse(accepted.MessageId, request.ClientMessageId!, id)),
            SendMessageResult.Invalid invalid => Problems.Validation(invalid.Errors),
            SendMessageResult.Rejected rejected => Refusal(rejected.Access)!,
            SendMessageResult.Unverified => Problems.Create(StatusCodes.Status403Forbidden, ErrorCodes.EmailNotVerified,
                "Verify your email address first."),
            SendMessageResult.RateLimited limited => Problems.TooManyRequests(httpContext, limited.Decision),
            _ => throw new InvalidOperationException($"Unexpected send result {result}."),
        };
    }

    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> MarkRead(Guid id,
        MarkReadRequest request, ClaimsPrincipal principal, ReadCursors cursors, CancellationToken cancellationToken)
    {
        return await cursors.MarkReadAsync(id, principal.GetUserId(), request.Seq!.Value, cancellationToken)
            ? TypedResults.NoContent()
            : Problems.NotFound();
    }

    public static async Task<Results<Ok<ReactionsResponse>, ValidationProblem, ProblemHttpResult>> AddReaction(Guid id,
        Guid messageId, AddReactionRequest request, ClaimsPrincipal principal, ConversationServices services,
        CancellationToken cancellationToken)
    {
        var userId = principal.GetUserId();
        var refusal = Refusal(await services.Access.CheckWriteAsync(id, userId, cancellationToken));
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
        var reactions = await CountsAsync(services, messageId, cancellationToken);
        if (inserted > 0)
        {
            await services.Signals.ReactionsChangedAsync(id, messageId, reactions, cancellationToken);
        }
        return TypedResults.Ok(new ReactionsResponse(id, messageId, reactions));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> RemoveReaction(Guid id, Guid messageId, string emoji,
        ClaimsPrincipal principal, ConversationServices services, CancellationToken cancellationToken)
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
        var removed = await db.MessageReactions
            .Where(r => r.MessageId == messageId && r.UserId == userId && r.Emoji == emoji)
            .ExecuteDeleteAsync(cancellationToken);
        if (removed > 0)
        {
            await services.Signals.ReactionsChangedAsync(id, messageId, await CountsAsync(services, messageId, cancellationToken),
                cancellationToken);
        }
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<MessageView>, ValidationProblem, ProblemHttpResult>> EditMessage(Guid id,
        Guid messageId, EditMessageRequest request, ClaimsPrincipal principal, ConversationServices services,
        CancellationToken cancellationToken)
    {
        var body = request.Body!;
        var userId = principal.GetUserId();
        var refusal = Refusal(await services.Access.CheckWriteAsync(id, userId, cancellationToken));
        if (refusal is not null)
        {
            return refusal;
        }
        var db = services.Db;
        var message = await db.Messages.FirstOrDefaultAsync(m => m.Id == messageId && m.ConversationId == id,
            cancellationToken);
        var now = services.Time.GetUtcNow();
        var problem = message is null ? Problems.NotFound() : RefuseChange(message, userId, now);
        if (problem is not null)
        {
            return problem;
        }
        if (message!.DeletedAt is not null)
        {
            return Problems.Conflict(ErrorCodes.MessageDeleted, "The message was deleted.");
        }
        (message.Body, message.EditedAt) = (body, now);
        await db.SaveChangesAsync(cancellationToken);

        var view = (await db.ViewsAsync(services.Storage, [message], cancellationToken))[0];
        await services.Signals.MessageUpdatedAsync(view, cancellationToken);
        return TypedResults.Ok(view);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteMessage(Guid id, Guid messageId,
        ClaimsPrincipal principal, ConversationServices services, CancellationToken cancellationToken)
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
        var problem = RefuseChange(message, userId, now);
        if (problem is not null)
        {
            return problem;
        }

        var deleted = await db.InTransactionAsync(async token =>
        {
            var changed = await db.Database.ExecuteSqlAsync(
                $"UPDATE messages SET body = NULL, attachments = '[]'::jsonb, deleted_at = {now} WHERE id = {messageId} AND deleted_at IS NULL",
                token);
            if (changed > 0)
            {
                // It no longer counts as unread for anyone who had not read it yet.
                await db.ConversationMembers
                    .Where(m => m.ConversationId == id && m.UserId != userId && m.LeftAt == null
                        && m.LastReadSeq < message.Seq && m.UnreadCount > 0)
                    .ExecuteUpdateAsync(set => set.SetProperty(m => m.UnreadCount, m => m.UnreadCount - 1), token);
            }
            return changed > 0;
        }, cancellationToken);
        if (deleted)
        {
            var stored = await db.Messages.AsNoTracking().SingleAsync(m => m.Id == messageId, cancellationToken);
            var view = (await db.ViewsAsync(services.Storage, [stored], cancellationToken))[0];
            await services.Signals.MessageUpdatedAsync(view, cancellationToken);
        }
        return TypedResults.NoContent();
    }

    /// <summary>Only the sender changes a message, and only within the edit window.</summary>
    private static ProblemHttpResult? RefuseChange(Message message, Guid userId, DateTimeOffset now)
    {
        if (message.SenderId != userId)
        {
            return Problems.Create(StatusCodes.Status403Forbidden, ErrorCodes.NotMessageAuthor,
                "Only the sender can change a message.");
        }
        return now - message.CreatedAt > Message.EditWindow
            ? Problems.Create(StatusCodes.Status403Forbidden, ErrorCodes.EditWindowClosed,
                $"Messages can be changed for {Message.EditWindow.TotalMinutes:0} minutes after sending.")
            : null;
    }

    private static ProblemHttpResult? Refusal(WriteAccess access) => access switch
    {
        WriteAccess.Allowed => null,
        WriteAccess.Blocked => Problems.Create(StatusCodes.Status403Forbidden, ErrorCodes.UserBlocked,
            "One of you blocked the other."),
        WriteAccess.ReadOnly => Problems.Create(StatusCodes.Status403Forbidden, ErrorCodes.ConversationReadOnly,
            "This conversation is read-only now."),
        _ => Problems.NotFound(),
    };

    private static async Task<IReadOnlyDictionary<string, int>> CountsAsync(ConversationServices services, Guid messageId,
        CancellationToken cancellationToken) =>
        (await services.Db.ReactionCountsAsync([messageId], cancellationToken)).GetValueOrDefault(messageId)
        ?? new Dictionary<string, int>();
}
