namespace Kinder.Core.Chat;

/// <summary>
/// A user's place in a conversation. A member who leaves keeps the row with <see cref="LeftAt"/> set (they can come
/// back, e.g. an event discussion when they RSVP again); only rows with <c>LeftAt == null</c> are members.
/// </summary>
public sealed class ConversationMember
{
    public required Guid ConversationId { get; init; }
    public required Guid UserId { get; init; }
    public MemberRole Role { get; set; } = MemberRole.Member;
    public DateTimeOffset JoinedAt { get; set; } = DateTimeOffset.UtcNow;
    public DateTimeOffset? LeftAt { get; set; }

    /// <summary>Archived conversations drop out of the default list until unarchived (or, for the client, until new messages).</summary>
    public DateTimeOffset? ArchivedAt { get; set; }

    /// <summary>The highest seq this user has read on any device; only ever moves forward.</summary>
    public long LastReadSeq { get; set; }

    /// <summary>Messages from others after <see cref="LastReadSeq"/>; kept by the message processor and read cursors.</summary>
    public int UnreadCount { get; set; }

    public bool IsActive => LeftAt is null;
}

public enum MemberRole
{
    Member,
    Owner,
}
