using System.Security.Claims;
using Kinder.Api.Infrastructure;
using Kinder.Core.Data;
using Kinder.Core.Friends;
using Kinder.Core.Identity;
using Kinder.Core.Profiles;
using Kinder.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Api.Friends;

/// <summary>The caller's friends, and their pending requests, newest first, cursor-paged.</summary>
public sealed class ListFriends(KinderDbContext db, ObjectStorage storage)
{
    public async Task<FriendPage> FriendsAsync(FriendListQuery query, ClaimsPrincipal principal,
        CancellationToken cancellationToken)
    {
        var pageSize = Paging.PageSize(query.Limit);
        FriendCursors.TryDecode(query.Cursor, out var after);
        var userId = principal.GetUserId();
        var friends = db.Friendships.Where(f => f.UserId == userId);
        if (after is not null)
        {
            friends = friends.Where(f => f.CreatedAt < after.At || (f.CreatedAt == after.At && f.FriendId.CompareTo(after.Id) < 0));
        }
        var rows = await friends
            .Join(db.Users.Where(u => u.DeletedAt == null), f => f.FriendId, u => u.Id,
                (f, u) => new { u.Id, u.DisplayName, u.AvatarKey, f.CreatedAt })
            .OrderByDescending(row => row.CreatedAt).ThenByDescending(row => row.Id)
            .Take(pageSize + 1)
            .ToListAsync(cancellationToken);
        var page = rows.Take(pageSize)
            .Select(row => new FriendResponse(row.Id, row.DisplayName, storage.UrlFor(row.AvatarKey), row.CreatedAt))
            .ToList();
        var next = rows.Count > pageSize ? new FriendCursors(page[^1].Since, page[^1].Id).Encode() : null;
        return new FriendPage(page, next);
    }

    public async Task<FriendRequestPage> RequestsAsync(FriendRequestListQuery query, ClaimsPrincipal principal,
        CancellationToken cancellationToken)
    {
        var pageSize = Paging.PageSize(query.Limit);
        FriendCursors.TryDecode(query.Cursor, out var after);
        var userId = principal.GetUserId();
        var pending = db.FriendRequests.AsNoTracking().Where(r => r.Status == FriendRequestStatus.Pending);
        pending = query.IsOutgoing()
            ? pending.Where(r => r.RequesterId == userId)
            : pending.Where(r => r.AddresseeId == userId);
        if (after is not null)
        {
            pending = pending.Where(r => r.CreatedAt < after.At || (r.CreatedAt == after.At && r.Id.CompareTo(after.Id) < 0));
        }
        var rows = await pending.OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id)
            .Take(pageSize + 1).ToListAsync(cancellationToken);
        var page = await db.ToResponsesAsync(storage, rows.Take(pageSize).ToList(), cancellationToken);
        var next = rows.Count > pageSize ? new FriendCursors(page[^1].CreatedAt, page[^1].Id).Encode() : null;
        return new FriendRequestPage(page, next);
    }

    /// <summary>Ends the friendship both ways (not being friends is fine).</summary>
    public Task UnfriendAsync(Guid friendId, ClaimsPrincipal principal, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var userId = principal.GetUserId();
        return db.InTransactionAsync(async token =>
        {
            await db.LockPairAsync(userId, friendId, token);
            await db.EndAsync(userId, friendId, time.GetUtcNow(), token);
            return true;
        }, cancellationToken);
    }
}
