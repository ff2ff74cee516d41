using Kinder.Core.Chat;

namespace Kinder.Api.Conversations;

public sealed record ConversationMemberResponse(Guid Id, string DisplayName, string? AvatarUrl, MemberRole Role,
    DateTimeOffset JoinedAt);

/// <summary>
/// One conversation as its member sees it. <c>members</c> is always there on <c>GET /conversations/{id}</c>; the list
/// leaves it out for event discussions (they can be large; <c>memberCount</c> says how many).
/// </summary>
public sealed record ConversationResponse(
    Guid Id,
    ConversationType Type,
    string? Title,
    Guid? EventId,
    Guid? OwnerId,
    IReadOnlyList<ConversationMemberResponse>? Members,
    int MemberCount,
    MessageView? LastMessage,
    long LastSeq,
    int UnreadCount,
    long LastReadSeq,
    bool Archived,
    bool ReadOnly,
    DateTimeOffset LastActivityAt,
    DateTimeOffset CreatedAt);

public sealed record ConversationPage(IReadOnlyList<ConversationResponse> Items, string? NextCursor);

/// <summary><c>202</c> to a send: the message's id (the same on a retry) before it is persisted.</summary>
public sealed record MessageAcceptedResponse(Guid Id, string ClientMessageId, Guid ConversationId);

public sealed record MessagePage(IReadOnlyList<MessageView> Items, string? NextCursor);

/// <summary>A message's reaction counts after a change (what <c>reaction:changed</c> carries).</summary>
public sealed record ReactionsResponse(Guid ConversationId, Guid MessageId, IReadOnlyDictionary<string, int> Reactions);

public sealed record BlockedUserResponse(Guid Id, string DisplayName, string? AvatarUrl, DateTimeOffset BlockedAt);

public sealed record BlockedUserPage(IReadOnlyList<BlockedUserResponse> Items, string? NextCursor);
