using Kinder.Messaging;

namespace Kinder.Core.Chat;

// The chat path's Kafka records (docs/decisions/0006). All are keyed by the conversation id, so one conversation is one
// ordered partition. Each declares its wire name (the envelope's `message-type`) as `RecordType`.

/// <summary>
/// On <c>messages.incoming</c>: a send the Api (or the Realtime hub) accepted after the membership, block and
/// validation checks; the sender got <c>202</c> with <see cref="MessageId"/> only after the broker acknowledged this
/// record. Workers' message processor persists it once (by <see cref="MessageId"/>) with the next seq.
/// <see cref="SenderId"/> is null for system messages, which Workers submit themselves.
/// </summary>
public sealed record MessageSubmitted(
    Guid MessageId,
    Guid ConversationId,
    Guid? SenderId,
    string ClientMessageId,
    MessageType Type,
    string? Body,
    IReadOnlyList<MessageAttachment> Attachments,
    Guid? EventId,
    DateTimeOffset SubmittedAt) : IRecord
{
    public static string RecordType => "MessageSubmitted";
}

/// <summary>
/// On <c>messages.outgoing</c>: a message was persisted (<c>message:new</c>). <see cref="RecipientIds"/> are the
/// conversation's members at that moment, the sender included (their other devices).
/// </summary>
public sealed record MessageCreated(MessageView Message, IReadOnlyList<Guid> RecipientIds) : IRecord
{
    public static string RecordType => "MessageCreated";
}

/// <summary>On <c>messages.outgoing</c>: a message was edited or deleted (clients replace it by id).</summary>
public sealed record MessageUpdated(MessageView Message, IReadOnlyList<Guid> RecipientIds) : IRecord
{
    public static string RecordType => "MessageUpdated";
}

/// <summary>On <c>messages.outgoing</c>: a message's reaction counts changed (<c>reaction:changed</c>).</summary>
public sealed record ReactionsChanged(Guid ConversationId, Guid MessageId, IReadOnlyDictionary<string, int> Reactions,
    IReadOnlyList<Guid> RecipientIds) : IRecord
{
    public static string RecordType => "ReactionsChanged";
}

/// <summary>On <c>messages.outgoing</c>: a member's read cursor moved forward (<c>message:read</c>).</summary>
public sealed record MessageRead(Guid ConversationId, Guid UserId, long Seq, IReadOnlyList<Guid> RecipientIds) : IRecord
{
    public static string RecordType => "MessageRead";
}

/// <summary>
/// On <c>messages.outgoing</c>: who is a member changed (joins, leaves, blocks). Realtime drops what it cached
/// about the conversation and the users.
/// </summary>
public sealed record ConversationMembersChanged(Guid ConversationId, IReadOnlyList<Guid> MemberIds,
    IReadOnlyList<Guid> AffectedUserIds) : IRecord
{
    public static string RecordType => "ConversationMembersChanged";
}

/// <summary>
/// On <c>notifications.push</c>, keyed by the user id: something to push to a user who is offline on every device.
/// Workers hand it to the push sender (FCM/APNs come with the notifications issue); <see cref="Kind"/> says what it is
/// ("message", or a notification type). <see cref="NotificationId"/> names the stored notification it pushes,
/// <see cref="Data"/> the ids a mobile app deep-links with, <see cref="Badge"/> the unread count for the app icon and
/// <see cref="CollapseKey"/> what a newer push replaces on the device (one per conversation for chat).
/// </summary>
public sealed record PushRequested(
    Guid UserId,
    string Kind,
    string Title,
    string Body,
    Guid? ConversationId,
    Guid? MessageId,
    long? Seq,
    DateTimeOffset CreatedAt,
    Guid? NotificationId = null,
    IReadOnlyDictionary<string, string>? Data = null,
    int? Badge = null,
    string? CollapseKey = null) : IRecord
{
    public static string RecordType => "PushRequested";
}
