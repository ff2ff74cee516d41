namespace Kinder.Api.Conversations;

/// <summary><c>POST /conversations</c>: <c>type</c> is direct or group; a direct one names exactly one other user.</summary>
public sealed record CreateConversationRequest(string? Type, IReadOnlyList<Guid>? MemberIds, string? Title);

/// <summary><c>POST /conversations/{id}/members</c> (group owner).</summary>
public sealed record AddMembersRequest(IReadOnlyList<Guid>? UserIds);

/// <summary>
/// <c>POST /conversations/{id}/messages</c>: <c>clientMessageId</c> is the client's own id, the same on every retry.
/// </summary>
public sealed record SendMessageRequest(string? ClientMessageId, string? Type, string? Body,
    IReadOnlyList<string>? AttachmentKeys, Guid? EventId);

/// <summary><c>PATCH /conversations/{id}/messages/{messageId}</c>: the new text.</summary>
public sealed record EditMessageRequest(string? Body);

/// <summary><c>PUT /conversations/{id}/read</c>: everything up to and including <c>seq</c> is read.</summary>
public sealed record MarkReadRequest(long? Seq);

/// <summary><c>POST …/reactions</c>: one emoji.</summary>
public sealed record AddReactionRequest(string? Emoji);
