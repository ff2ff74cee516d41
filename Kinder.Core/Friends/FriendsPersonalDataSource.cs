using Kinder.Core.Data;
using Kinder.Core.PersonalData;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Core.Friends;

/// <summary>A user's friends, friend requests either way and event invites either way; erasing removes them all.</summary>
public sealed class FriendsPersonalDataSource(KinderDbContext db) : IPersonalDataSource
{
    public string Section => "friends";

    public async Task<object?> ExportAsync(Guid userId, CancellationToken cancellationToken)
    {
        var friends = await db.Friendships.AsNoTracking().Where(f => f.UserId == userId)
            .OrderBy(f => f.CreatedAt).Select(f => new { f.FriendId, f.CreatedAt }).ToListAsync(cancellationToken);
        var requests = await db.FriendRequests.AsNoTracking()
            .Where(r => r.RequesterId == userId || r.AddresseeId == userId)
            .OrderBy(r => r.CreatedAt)
            .Select(r => new { r.Id, r.RequesterId, r.AddresseeId, r.Status, r.CreatedAt, r.RespondedAt })
            .ToListAsync(cancellationToken);
        var invites = await db.EventInvites.AsNoTracking()
            .Where(i => i.InviterId == userId || i.InviteeId == userId)
            .OrderBy(i => i.CreatedAt)
            .Select(i => new { i.EventId, i.InviterId, i.InviteeId, i.CreatedAt })
            .ToListAsync(cancellationToken);
        return friends.Count == 0 && requests.Count == 0 && invites.Count == 0 ? null : new { friends, requests, invites };
    }

    public async Task EraseAsync(Guid userId, CancellationToken cancellationToken)
    {
        await db.Friendships.Where(f => f.UserId == userId || f.FriendId == userId).ExecuteDeleteAsync(cancellationToken);
        await db.FriendRequests.Where(r => r.RequesterId == userId || r.AddresseeId == userId)
            .ExecuteDeleteAsync(cancellationToken);
        await db.EventInvites.Where(i => i.InviterId == userId || i.InviteeId == userId)
            .ExecuteDeleteAsync(cancellationToken);
    }
}
