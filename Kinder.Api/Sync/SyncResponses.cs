using Kinder.Core.Events;
using Kinder.Core.Notifications;

namespace Kinder.Api.Sync;

/// <summary>
/// What changed for the caller since the cursor. <see cref="HasMore"/>: call again with <see cref="Cursor"/> at once
/// (a client far behind pages through); otherwise keep <see cref="Cursor"/> for the next sync.
/// <see cref="Notifications"/>: feed notifications stored or read since the cursor (a deleted one is not reported).
/// </summary>
public sealed record SyncResponse(
    IReadOnlyList<SyncConversation> Conversations,
    IReadOnlyList<NotificationView> Notifications,
    IReadOnlyList<SyncEvent> Events,
    string Cursor,
    bool HasMore);

/// <summary>A conversation's counters for the caller; <see cref="Left"/>: no longer a member (drop it).</summary>
public sealed record SyncConversation(Guid Id, long LastSeq, int UnreadCount, long LastReadSeq, bool Archived, bool Left);

/// <summary>An event the caller organises, answered or was invited to; <see cref="MyStatus"/> null for an invite only.</summary>
public sealed record SyncEvent(Guid Id, DateTimeOffset UpdatedAt, AttendanceStatus? MyStatus, EventStatus Status);
