using Kinder.Core.Data;
using Kinder.Core.Friends;
using Kinder.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Api.Friends;

/// <summary>Requests as their two people see them, with both people's names and avatars (one query for the users).</summary>
public static class FriendRequestReader
{
    public static async Task<List<FriendRequestResponse>> ToResponsesAsync(this KinderDbContext db,
        ObjectStorage storage, IReadOnlyList<FriendRequest> requests, CancellationToken cancellationToken)
    {
        var userIds = requests.SelectMany(r => new[] { r.RequesterId, r.AddresseeId }).Distinct().ToList();
        var people = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id))
            .Select(u => new { u.Id, u.DisplayName, u.AvatarKey })
            .ToDictionaryAsync(u => u.Id, u => new PersonResponse(u.Id, u.DisplayName, storage.UrlFor(u.AvatarKey)),
                cancellationToken);
        return requests.Select(r => new FriendRequestResponse(r.Id, people[r.RequesterId], people[r.AddresseeId],
            r.Status, r.CreatedAt, r.RespondedAt)).ToList();
    }

    public static async Task<FriendRequestResponse> ToResponseAsync(this KinderDbContext db, ObjectStorage storage,
        FriendRequest request, CancellationToken cancellationToken) =>
        (await db.ToResponsesAsync(storage, [request], cancellationToken))[0];
}
