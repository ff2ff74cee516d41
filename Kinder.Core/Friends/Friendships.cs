using Kinder.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Core.Friends;

/// <summary>
/// The questions every feature asks about friends, and the two writes that start and end a friendship. Writers hold the
/// pair's lock (<see cref="LockPairAsync"/>) so a request, an accept, an unfriend and a block of one pair run one after
/// another.
/// </summary>
public static class Friendships
{
    /// <summary>The user's friends, as a query to compose into others (one SQL statement).</summary>
    public static IQueryable<Guid> FriendIdsOf(this KinderDbContext db, Guid userId) =>
        db.Friendships.Where(f => f.UserId == userId).Select(f => f.FriendId);

    public static Task<bool> AreFriendsAsync(this KinderDbContext db, Guid a, Guid b, CancellationToken cancellationToken) =>
        db.Friendships.AnyAsync(f => f.UserId == a && f.FriendId == b, cancellationToken);

    /// <summary>A transaction-scoped lock on the pair, the same whichever of the two asks.</summary>
    public static Task LockPairAsync(this KinderDbContext db, Guid a, Guid b, CancellationToken cancellationToken)
    {
        var key = a.CompareTo(b) < 0 ? $"friends:{a:N}:{b:N}" : $"friends:{b:N}:{a:N}";
        return db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({key}, 0))", cancellationToken);
    }

    /// <summary>Both rows of the friendship (already friends is fine).</summary>
    public static Task BefriendAsync(this KinderDbContext db, Guid a, Guid b, DateTimeOffset now,
        CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync($"""
            INSERT INTO friendships (user_id, friend_id, created_at)
            VALUES ({a}, {b}, {now}), ({b}, {a}, {now})
            ON CONFLICT DO NOTHING
            """, cancellationToken);

    /// <summary>
    /// Ends the friendship both ways and withdraws pending requests between the two (unfriending and blocking); the
    /// caller holds the pair's lock.
    /// </summary>
    public static async Task EndAsync(this KinderDbContext db, Guid a, Guid b, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        await db.Friendships.Where(f => (f.UserId == a && f.FriendId == b) || (f.UserId == b && f.FriendId == a))
            .ExecuteDeleteAsync(cancellationToken);
        await db.FriendRequests
            .Where(r => r.Status == FriendRequestStatus.Pending
                && ((r.RequesterId == a && r.AddresseeId == b) || (r.RequesterId == b && r.AddresseeId == a)))
            .ExecuteUpdateAsync(set => set.SetProperty(r => r.Status, FriendRequestStatus.Cancelled)
                .SetProperty(r => r.RespondedAt, now), cancellationToken);
    }
}
