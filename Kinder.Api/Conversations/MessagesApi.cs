using System.Security.Claims;
using Kinder.Api.Infrastructure;
using Kinder.Core;
using Kinder.Core.Chat;
using Kinder.Core.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kinder.Api.Conversations;

/// <summary>
/// Messages: history by seq, sending (through the chat path), read cursors, reactions, and
/// editing or deleting one's own messages within <see cref="Message.EditWindow"/>. Non-members get 404 for all of it.
/// A route table: sending is <see cref="MessageSubmitter"/> (shared with the hub), read cursors <see cref="ReadCursors"/>,
/// the rest a use case class each (<see cref="ReadMessages"/>, <see cref="EditMessage"/>, …).
/// </summary>
public static class MessagesApi
{
    public static IEndpointRouteBuilder MapMessagesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/conversations/{id:guid}").WithTags("Messages").RequireAuthorization()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/messages", List)
            .WithName("GetMessages")
            .WithSummary("Messages by seq, ascending. Without beforeSeq/afterSeq: the latest page. beforeSeq pages back "
                + "through history (nextCursor = the older page, null at the start); afterSeq catches up with no gap "
                + "(nextCursor = the newer page, null when caught up). Pass nextCursor as cursor to go on.")
            .ProducesValidationProblem();
        // A verified email and the send limit are the send gate's, shared with the hub (MessageSendGate).
        group.MapPost("/messages", Send)
            .WithName("SendMessage")
            .WithSummary("Send a message: 202 once it is safely queued, with its id; the same clientMessageId again is "
                + "the same message. It arrives (with its seq) as message:new.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable); // Kafka did not take it in time: retry
        group.MapPut("/read", MarkRead)
            .WithName("MarkConversationRead")
            .WithSummary("You have read up to seq (it only moves forward); your unread count follows on every device.")
            .ProducesValidationProblem();
        group.MapPost("/messages/{messageId:guid}/reactions", React)
            .RequireAuthorization(KinderPolicies.VerifiedUser)
            .WithName("AddReaction")
            .WithSummary("React with one emoji (idempotent); answers the message's reaction counts.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapDelete("/messages/{messageId:guid}/reactions/{emoji}", Unreact)
            .WithName("RemoveReaction")
            .WithSummary("Take your reaction back (idempotent).");
        group.MapPatch("/messages/{messageId:guid}", Edit)
            .RequireAuthorization(KinderPolicies.VerifiedUser)
            .WithName("EditMessage")
            .WithSummary("Change your own message's text within 15 minutes of sending it (403 NOT_MESSAGE_AUTHOR, "
                + "403 EDIT_WINDOW_CLOSED).")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapDelete("/messages/{messageId:guid}", Delete)
            .WithName("DeleteMessage")
            .WithSummary("Delete your own message within 15 minutes of sending it: it keeps its seq, loses its body and "
                + "attachments. Idempotent.")
            .ProducesProblem(StatusCodes.Status403Forbidden);
        return app;
    }

    public static Task<Results<Ok<MessagePage>, ValidationProblem, ProblemHttpResult>> List(Guid id,
        [AsParameters] MessageListQuery query, ClaimsPrincipal principal, ReadMessages useCase,
        CancellationToken cancellationToken) =>
        useCase.HandleAsync(id, query, principal, cancellationToken);

    public static async Task<Results<Accepted<MessageAcceptedResponse>, ValidationProblem, ProblemHttpResult>>
        Send(
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
            SendMessageResult.Rejected rejected => ChatRefusals.Of(rejected.Access)!,
            SendMessageResult.Unverified => Problems.Create(StatusCodes.Status403Forbidden, ErrorCodes.EmailNotVerified,
                "Verify your email address first."),
            SendMessageResult.RateLimited limited => Problems.TooManyRequests(httpContext, limited.Decision),
            _ => throw new InvalidOperationException($"Unexpected send result {result}."),
        };
    }

    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> MarkRead(Guid id,
        MarkReadRequest request, ClaimsPrincipal principal, ReadCursors cursors, CancellationToken cancellationToken) =>
        await cursors.MarkReadAsync(id, principal.GetUserId(), request.Seq!.Value, cancellationToken)
            ? TypedResults.NoContent()
            : Problems.NotFound();

    public static Task<Results<Ok<ReactionsResponse>, ValidationProblem, ProblemHttpResult>> React(Guid id, Guid messageId,
        AddReactionRequest request, ClaimsPrincipal principal, AddReaction useCase, CancellationToken cancellationToken) =>
        useCase.HandleAsync(id, messageId, request, principal, cancellationToken);

    public static Task<Results<NoContent, ProblemHttpResult>> Unreact(Guid id, Guid messageId, string emoji,
        ClaimsPrincipal principal, RemoveReaction useCase, CancellationToken cancellationToken) =>
        useCase.HandleAsync(id, messageId, emoji, principal, cancellationToken);

    public static Task<Results<Ok<MessageView>, ValidationProblem, ProblemHttpResult>> Edit(Guid id, Guid messageId,
        EditMessageRequest request, ClaimsPrincipal principal, EditMessage useCase, CancellationToken cancellationToken) =>
        useCase.HandleAsync(id, messageId, request, principal, cancellationToken);

    public static Task<Results<NoContent, ProblemHttpResult>> Delete(Guid id, Guid messageId, ClaimsPrincipal principal,
        DeleteMessage useCase, CancellationToken cancellationToken) =>
        useCase.HandleAsync(id, messageId, principal, cancellationToken);
}
