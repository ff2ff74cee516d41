using System.Text.Json.Serialization;
using Kinder.Core.Uploads;

namespace Kinder.Core.Chat;

/// <summary>
/// The <c>message</c> clients read, the one shape REST history and the hub's <c>message:new</c> both send.
/// <see cref="Type"/> is snake_case (<c>event_invite</c>) as the contract spells it.
/// </summary>
public sealed record MessageView(
    Guid Id,
    Guid ConversationId,
    long Seq,
    Guid? SenderId,
    string ClientMessageId,
    string Type,
    string? Body,
    IReadOnlyList<AttachmentView> Attachments,
    Guid? EventId,
    IReadOnlyDictionary<string, int> Reactions,
    DateTimeOffset CreatedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? EditedAt = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? DeletedAt = null)
{
    public static MessageView From(Message message, IReadOnlyDictionary<string, int> reactions,
        Func<string, string> urlFor) => new(
        message.Id,
        message.ConversationId,
        message.Seq,
        message.SenderId,
        message.ClientMessageId,
        MessageTypes.ToApi(message.Type),
        message.DeletedAt is null ? message.Body : null,
        message.DeletedAt is null
            ? message.Attachments.Select(a => AttachmentView.From(a, urlFor)).ToList()
            : [],
        message.EventId,
        reactions,
        message.CreatedAt,
        message.EditedAt,
        message.DeletedAt);
}

/// <summary>
/// An attachment as clients get it. Images are served only as their metadata-free WebP renditions (the original may
/// carry GPS EXIF): <see cref="Url"/> the large one, <see cref="ThumbnailUrl"/> the small one.
/// </summary>
public sealed record AttachmentView(string Key, string Url, string ContentType, long SizeBytes,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ThumbnailUrl = null)
{
    public static AttachmentView From(MessageAttachment attachment, Func<string, string> urlFor) =>
        attachment.ContentType.StartsWith("image/", StringComparison.Ordinal)
            ? new AttachmentView(attachment.Key, urlFor(UploadKeys.DisplayKey(attachment.Key, UploadKeys.LargeWidth)),
                "image/webp", attachment.SizeBytes, urlFor(UploadKeys.DisplayKey(attachment.Key, UploadKeys.SmallWidth)))
            : new AttachmentView(attachment.Key, urlFor(attachment.Key), attachment.ContentType, attachment.SizeBytes);
}

/// <summary>The contract spells message types in snake_case.</summary>
public static class MessageTypes
{
    public static string ToApi(MessageType type) => type switch
    {
        MessageType.Text => "text",
        MessageType.Image => "image",
        MessageType.File => "file",
        MessageType.EventInvite => "event_invite",
        MessageType.System => "system",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>The types a client may send (not <c>system</c>); null for anything else.</summary>
    public static MessageType? FromClient(string? value) => value switch
    {
        "text" => MessageType.Text,
        "image" => MessageType.Image,
        "file" => MessageType.File,
        "event_invite" => MessageType.EventInvite,
        _ => null,
    };
}
