using Kinder.Api.Infrastructure;

namespace Kinder.Api.Sync;

/// <summary>
/// Where a client is in <c>GET /sync</c>, opaque to it. <see cref="Since"/>: the oldest transaction of this database
/// (a 64-bit xid) that may have been running when the last complete round read; null for a full snapshot. <see cref="Round"/>: the same
/// for the first page of the round in progress (null between rounds); it becomes the next <see cref="Since"/>.
/// <see cref="Phase"/> and <see cref="After"/>: the round's position (conversations, then events, then notifications, by id).
/// </summary>
public sealed record SyncCursor(long? Since, long? Round, int Phase, Guid? After)
{
    public const int ConversationsPhase = 0;
    public const int EventsPhase = 1;
    public const int NotificationsPhase = 2;

    public string Encode() => Cursors.Encode(this);

    public static bool TryDecode(string? cursor, out SyncCursor? position) =>
        Cursors.TryDecode(cursor, out position)
        && position is null or { Phase: ConversationsPhase or EventsPhase or NotificationsPhase, Since: null or >= 0, Round: null or >= 0 };
}
