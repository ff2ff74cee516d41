using Kinder.Api.Infrastructure;

namespace Kinder.Api.Friends;

/// <summary>
/// The cursor of the friends list and of the request lists: the time and id of the last item (newest first; the id
/// breaks ties).
/// </summary>
public sealed record FriendCursors(DateTimeOffset At, Guid Id)
{
    public string Encode() => Cursors.Encode(this);

    public static bool TryDecode(string? cursor, out FriendCursors? position) => Cursors.TryDecode(cursor, out position);
}

/// <summary>The cursor of user search: the last item's score (as PostgreSQL's <c>real</c>) and id.</summary>
public sealed record UserSearchCursor(double Score, Guid UserId)
{
    public string Encode() => Cursors.Encode(this);

    public static bool TryDecode(string? cursor, out UserSearchCursor? position) => Cursors.TryDecode(cursor, out position);
}
