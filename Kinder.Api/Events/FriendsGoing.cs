using Kinder.Api.Friends;
using Kinder.Core.Data;
using Kinder.Core.Events;
using Kinder.Core.Friends;
using Kinder.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Kinder.Api.Events;

/// <summary><c>event.friendsGoing</c>: how many of the viewer's friends are going, and the first few of them.</summary>
public sealed record FriendsGoingResponse(int Count, IReadOnlyList<PersonResponse> Sample)
{
    public static readonly FriendsGoingResponse None = new(0, []);
}

public static class FriendsGoing
{
    public const int SampleSize = 3;

    // One statement for a whole page of events: the friends going per event, counted and sampled (earliest answers
    // first) by window functions. A block ends a friendship, so friends are never blocked.
    private const string Sql = """
        SELECT t.event_id, t.total, t.id, t.display_name, t.avatar_key
        FROM (
            SELECT a.event_id, u.id, u.display_name, u.avatar_key,
                   count(*) OVER (PARTITION BY a.event_id) AS total,
                   row_number() OVER (PARTITION BY a.event_id ORDER BY a.sequence, u.id) AS n
            FROM friendships f
            JOIN event_attendances a ON a.user_id = f.friend_id
            JOIN users u ON u.id = f.friend_id AND u.deleted_at IS NULL
            WHERE f.user_id = @viewer AND a.event_id = ANY(@ids) AND a.status = 'Going'
        ) t
        WHERE t.n <= @sample
        ORDER BY t.event_id, t.n
        """;

    /// <summary>Per event (missing: none going).</summary>
    public static async Task<Dictionary<Guid, FriendsGoingResponse>> ReadAsync(KinderDbContext db, ObjectStorage storage,
        Guid viewerId, IReadOnlyCollection<Guid> eventIds, CancellationToken cancellationToken)
    {
        if (eventIds.Count == 0)
        {
            return [];
        }
        var rows = await db.ReadRawAsync(Sql,
            [
                new NpgsqlParameter<Guid>("viewer", viewerId),
                new NpgsqlParameter<Guid[]>("ids", [.. eventIds]),
                new NpgsqlParameter<int>("sample", SampleSize),
            ],
            reader => (EventId: reader.GetGuid(0), Total: (int)reader.GetInt64(1),
                Friend: new PersonResponse(reader.GetGuid(2), reader.GetString(3),
                    storage.UrlFor(reader.IsDBNull(4) ? null : reader.GetString(4)))),
            cancellationToken);
        return rows.GroupBy(row => row.EventId).ToDictionary(group => group.Key,
            group => new FriendsGoingResponse(group.First().Total, group.Select(row => row.Friend).ToList()));
    }

    /// <summary>Per event, how many friends of the viewer are going (missing = 0): discovery's friends term, one query.</summary>
    public static async Task<IReadOnlyDictionary<Guid, int>> CountAsync(KinderDbContext db, Guid viewerId,
        IReadOnlyCollection<Guid> eventIds, CancellationToken cancellationToken)
    {
        if (eventIds.Count == 0)
        {
            return new Dictionary<Guid, int>();
        }
        var friends = db.FriendIdsOf(viewerId);
        return await db.EventAttendances
            .Where(a => eventIds.Contains(a.EventId) && a.Status == AttendanceStatus.Going && friends.Contains(a.UserId))
            .GroupBy(a => a.EventId)
            .Select(g => new { EventId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.EventId, g => g.Count, cancellationToken);
    }
}
