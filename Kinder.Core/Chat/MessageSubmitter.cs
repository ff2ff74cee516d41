using Kinder.Core.Data;
using Kinder.Core.Events;
using Kinder.Messaging;
using Kinder.Core.Uploads;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Core.Chat;

/// <summary>A client's send, from REST (<c>POST …/messages</c>) or the hub (<c>SendMessage</c>).</summary>
public sealed record SendMessageCommand(
    Guid ConversationId,
    Guid SenderId,
    string? ClientMessageId,
    string? Type,
    string? Body,
    IReadOnlyList<string>? AttachmentKeys,
    Guid? EventId);

public abstract record SendMessageResult
{
    /// <summary>On <c>messages.incoming</c>, acknowledged by the broker: answer 202 with this id.</summary>
    public sealed record Accepted(Guid MessageId) : SendMessageResult;

    public sealed record Rejected(WriteAccess Access) : SendMessageResult;

    /// <summary>Field-level errors, camelCase field names.</summary>
    public sealed record Invalid(IReadOnlyDictionary<string, string[]> Errors) : SendMessageResult;
}

/// <summary>
/// Checks a send (membership, blocks, read-only, fields, attachments, invited event) and puts it on
/// <c>messages.incoming</c> keyed by the conversation. The one way a client's message enters the chat path, shared by
/// the Api and the Realtime hub. Returns only once the broker acknowledged the record: nothing accepted is lost.
/// </summary>
public sealed class MessageSubmitter(KinderDbContext db, ConversationAccess access, IKafkaProducer producer, TimeProvider time)
{
    public async Task<SendMessageResult> SubmitAsync(SendMessageCommand command, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var type = MessageTypes.FromClient(command.Type ?? "text");
        Validate(command, type, errors);
        if (errors.Count > 0)
            return new SendMessageResult.Invalid(errors);

        // Access before anything that could tell a non-member about the conversation.
        var writeAccess = await access.CheckWriteAsync(command.ConversationId, command.SenderId, cancellationToken);
        if (writeAccess != WriteAccess.Allowed)
            return new SendMessageResult.Rejected(writeAccess);

        var attachments = await ResolveAttachmentsAsync(command, type!.Value, errors, cancellationToken);
        if (type == MessageType.EventInvite && !await EventIsVisibleAsync(command.EventId!.Value, cancellationToken))
            errors["eventId"] = ["No such event."];
        if (errors.Count > 0)
            return new SendMessageResult.Invalid(errors);

        var clientMessageId = command.ClientMessageId!;
        var submitted = new MessageSubmitted(
            MessageIds.For(command.ConversationId, command.SenderId, clientMessageId),
            command.ConversationId,
            command.SenderId,
            clientMessageId,
            type.Value,
            string.IsNullOrWhiteSpace(command.Body) ? null : command.Body,
            attachments,
            type == MessageType.EventInvite ? command.EventId : null,
            time.GetUtcNow());
        await producer.ProduceAsync(Topics.MessagesIncoming, command.ConversationId.ToString(),
            KafkaEnvelope.Create(submitted), cancellationToken);
        return new SendMessageResult.Accepted(submitted.MessageId);
    }

    private static void Validate(SendMessageCommand command, MessageType? type, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(command.ClientMessageId))
            errors["clientMessageId"] = ["A client message id is required (the same one on every retry)."];
        else if (command.ClientMessageId.Length > Message.MaxClientMessageIdLength)
            errors["clientMessageId"] = [$"At most {Message.MaxClientMessageIdLength} characters."];

        if (type is null)
        {
            errors["type"] = ["One of text, image, file, event_invite."];
            return;
        }

        if (command.Body is { Length: > Message.MaxBodyLength })
            errors["body"] = [$"At most {Message.MaxBodyLength} characters."];
        else if (type == MessageType.Text && string.IsNullOrWhiteSpace(command.Body))
            errors["body"] = ["A text message needs a body."];

        var keys = command.AttachmentKeys ?? [];
        if (type is MessageType.Image or MessageType.File)
        {
            if (keys.Count == 0)
                errors["attachmentKeys"] = ["An image or file message needs at least one attachment."];
            else if (keys.Count > Message.MaxAttachments)
                errors["attachmentKeys"] = [$"At most {Message.MaxAttachments} attachments."];
        }
        else if (keys.Count > 0)
        {
            errors["attachmentKeys"] = ["Only image and file messages carry attachments."];
        }

        if (type == MessageType.EventInvite && command.EventId is null)
            errors["eventId"] = ["An event invite names its event."];
    }

    /// <summary>Attachments must be the sender's own completed uploads; an image message carries only images.</summary>
    private async Task<IReadOnlyList<MessageAttachment>> ResolveAttachmentsAsync(SendMessageCommand command,
        MessageType type, Dictionary<string, string[]> errors, CancellationToken cancellationToken)
    {
        var keys = (command.AttachmentKeys ?? []).Distinct().ToList();
        if (keys.Count == 0)
            return [];
        var uploads = await db.Set<Upload>().AsNoTracking()
            .Where(u => u.OwnerId == command.SenderId && keys.Contains(u.Key) && u.Status != UploadStatus.Pending)
            .ToDictionaryAsync(u => u.Key, cancellationToken);
        var attachments = new List<MessageAttachment>(keys.Count);
        foreach (var key in keys)
        {
            if (!uploads.TryGetValue(key, out var upload))
            {
                errors["attachmentKeys"] = [$"'{key}' is not one of your completed uploads."];
                return [];
            }

            if (type == MessageType.Image && !upload.IsImage)
            {
                errors["attachmentKeys"] = [$"'{key}' is not an image."];
                return [];
            }

            attachments.Add(new MessageAttachment(upload.Key, upload.ContentType, upload.ActualSize ?? upload.DeclaredSize));
        }

        return attachments;
    }

    private Task<bool> EventIsVisibleAsync(Guid eventId, CancellationToken cancellationToken) =>
        db.Set<Event>().AnyAsync(e => e.Id == eventId && e.Status == EventStatus.Published, cancellationToken);
}
