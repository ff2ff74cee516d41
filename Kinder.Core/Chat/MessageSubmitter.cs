using System.Security.Claims;
using FluentValidation;
using Kinder.Core.Data;
using Kinder.Core.Events;
using Kinder.Core.Identity;
using Kinder.Core.RateLimiting;
using Kinder.Messaging;
using Kinder.Core.Uploads;
using Kinder.Core.Validation;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Core.Chat;

/// <summary>A client's send, from REST (<c>POST …/messages</c>) or the hub (<c>SendMessage</c>).</summary>
public sealed record SendMessageCommand(
    Guid ConversationId,
    ClaimsPrincipal Sender,
    string? ClientMessageId,
    string? Type,
    string? Body,
    IReadOnlyList<string>? AttachmentKeys,
    Guid? EventId)
{
    public Guid SenderId => Sender.GetUserId();

    /// <summary>The message type the client asked for (text when it said none); null when it is not one.</summary>
    public MessageType? ParsedType => MessageTypes.FromClient(Type ?? "text");
}

public abstract record SendMessageResult
{
    /// <summary>On <c>messages.incoming</c>, acknowledged by the broker: answer 202 with this id.</summary>
    public sealed record Accepted(Guid MessageId) : SendMessageResult;

    public sealed record Rejected(WriteAccess Access) : SendMessageResult;

    /// <summary>Field-level errors, camelCase field names.</summary>
    public sealed record Invalid(IDictionary<string, string[]> Errors) : SendMessageResult;

    /// <summary>The sender's email is not verified: <c>EMAIL_NOT_VERIFIED</c>.</summary>
    public sealed record Unverified : SendMessageResult;

    /// <summary>Past the per-user send limit: <c>RATE_LIMITED</c>, retry after the decision's time.</summary>
    public sealed record RateLimited(RateLimitDecision Decision) : SendMessageResult;
}

/// <summary>
/// The one way a client's message enters the chat path, shared by the Api and the Realtime hub: the send gate
/// (verified email, rate limit), the send's rules, the access check (membership, blocks, read-only), then
/// <c>messages.incoming</c> keyed by the conversation. Returns only once the broker acknowledged the record: nothing
/// accepted is lost.
/// </summary>
public sealed class MessageSubmitter(MessageSendGate gate, IValidator<SendMessageCommand> validator,
    IConversationWriteAccess access, IKafkaProducer producer, TimeProvider time, IServiceProvider services)
{
    public async Task<SendMessageResult> SubmitAsync(SendMessageCommand command, CancellationToken cancellationToken)
    {
        if (await gate.CheckAsync(command.Sender) is { } refused)
            return refused;
        // The text checks every request gets (the Api's filter does them for REST; the hub has no filter).
        if (SafeText.Find(command) is { Count: > 0 } unsafeText)
            return new SendMessageResult.Invalid(unsafeText);
        var fields = await validator.ValidateAsync(command, cancellationToken);
        if (!fields.IsValid)
            return new SendMessageResult.Invalid(fields.ToFieldErrors());

        // Access before anything that could tell a non-member about the conversation.
        var writeAccess = await access.CheckWriteAsync(command.ConversationId, command.SenderId, cancellationToken);
        if (writeAccess != WriteAccess.Allowed)
            return new SendMessageResult.Rejected(writeAccess);

        var storedContext = ValidationContext<SendMessageCommand>.CreateWithOptions(command,
            options => options.IncludeRuleSets(SendMessageCommandValidator.StoredRules));
        storedContext.RootContextData[SendMessageCommandValidator.ServicesKey] = services;
        var stored = await validator.ValidateAsync(storedContext, cancellationToken);
        if (!stored.IsValid)
            return new SendMessageResult.Invalid(stored.ToFieldErrors());

        var type = command.ParsedType!.Value;
        var clientMessageId = command.ClientMessageId!;
        var submitted = new MessageSubmitted(
            MessageIds.For(command.ConversationId, command.SenderId, clientMessageId),
            command.ConversationId,
            command.SenderId,
            clientMessageId,
            type,
            string.IsNullOrWhiteSpace(command.Body) ? null : command.Body,
            Attachments(command, storedContext),
            type == MessageType.EventInvite ? command.EventId : null,
            time.GetUtcNow());
        await producer.ProduceAsync(Topics.MessagesIncoming, command.ConversationId.ToString(),
            KafkaEnvelope.Create(submitted), cancellationToken);
        return new SendMessageResult.Accepted(submitted.MessageId);
    }

    /// <summary>The attachments as the message carries them, in the client's order, from the uploads the stored rules read.</summary>
    private static IReadOnlyList<MessageAttachment> Attachments(SendMessageCommand command,
        ValidationContext<SendMessageCommand> validated)
    {
        if (!validated.RootContextData.TryGetValue(SendMessageCommandValidator.UploadsKey, out var found))
            return [];
        var uploads = (Dictionary<string, Upload>)found;
        return (command.AttachmentKeys ?? []).Distinct()
            .Select(key => uploads[key])
            .Select(upload => new MessageAttachment(upload.Key, upload.ContentType, upload.ActualSize ?? upload.DeclaredSize))
            .ToList();
    }
}

internal static class MessageUploads
{
    /// <summary>The owner's completed (not pending) uploads among <paramref name="keys"/>, by key.</summary>
    public static Task<Dictionary<string, Upload>> CompletedUploadsAsync(this KinderDbContext db, Guid ownerId,
        IReadOnlyCollection<string> keys, CancellationToken cancellationToken) =>
        db.Set<Upload>().AsNoTracking()
            .Where(u => u.OwnerId == ownerId && keys.Contains(u.Key) && u.Status != UploadStatus.Pending)
            .ToDictionaryAsync(u => u.Key, cancellationToken);
}
