using System.Text.Json;

namespace Kinder.Core.Chat;

/// <summary>
/// One message, persisted by Workers' message processor. <see cref="Id"/> is derived from the conversation, the sender
/// and the client's message id (<see cref="MessageIds.For"/>), so a retried send is the same row (idempotent insert).
/// </summary>
public sealed class Message
{
    public const int MaxBodyLength = 4000;
    public const int MaxClientMessageIdLength = 64;
    public const int MaxAttachments = 10;

    /// <summary>How long after sending the sender may edit or delete a message.</summary>
    public static readonly TimeSpan EditWindow = TimeSpan.FromMinutes(15);

    public required Guid Id { get; init; }
    public required Guid ConversationId { get; init; }
    public long Seq { get; init; }

    /// <summary>Null for <see cref="MessageType.System"/> messages.</summary>
    public Guid? SenderId { get; init; }

    public required string ClientMessageId { get; init; }
    public MessageType Type { get; init; }
    public string? Body { get; set; }
    public List<MessageAttachment> Attachments { get; init; } = [];

    /// <summary>The event an <see cref="MessageType.EventInvite"/> (or an event system message) is about.</summary>
    public Guid? EventId { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? EditedAt { get; set; }

    /// <summary>A deleted message keeps its seq (no gap in history) but loses its body and attachments.</summary>
    public DateTimeOffset? DeletedAt { get; set; }
}

/// <summary>The message types of the contract; <see cref="System"/> is written by Kinder only (joins, leaves, event changes).</summary>
public enum MessageType
{
    Text,
    Image,
    File,
    EventInvite,
    System,
}

/// <summary>A completed upload attached to a message (stored as jsonb on the message).</summary>
public sealed record MessageAttachment(string Key, string ContentType, long SizeBytes);

/// <summary>How <see cref="Message.Attachments"/> is stored (jsonb): EF's converter and raw SQL readers share it.</summary>
public static class MessageAttachmentJson
{
    public static string Write(List<MessageAttachment> attachments) =>
        JsonSerializer.Serialize(attachments, JsonSerializerOptions.Web);

    public static List<MessageAttachment> Read(string json) =>
        JsonSerializer.Deserialize<List<MessageAttachment>>(json, JsonSerializerOptions.Web) ?? [];
}
