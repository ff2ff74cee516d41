using Kinder.Core.Chat;
using Kinder.Core.Data;
using Kinder.Core.Events;
using Kinder.Core.Friends;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Api.Events;

/// <summary>Discovery's "people you talk to are going" term.</summary>
public interface IDiscoveryConnections
{
    /// <summary>Per event, how many people <paramref name="userId"/> shares a conversation with are going (missing = 0).</summary>
    Task<IReadOnlyDictionary<Guid, int>> CountGoingAsync(Guid userId, IReadOnlyCollection<Guid> eventIds,
        CancellationToken cancellationToken);
}

/// <summary>
/// People the user talks to: those sharing an active direct or group conversation with them, neither having blocked
/// the other, friends left out (they count in the friends term, <see cref="FriendsGoing"/>). Event discussions do not count (everyone going to a big event would be a "connection"). One query for
/// the whole feed.
/// </summary>
public sealed class ChatDiscoveryConnections(KinderDbContext db) : IDiscoveryConnections
{
    public async Task<IReadOnlyDictionary<Guid, int>> CountGoingAsync(Guid userId, IReadOnlyCollection<Guid> eventIds,
        CancellationToken cancellationToken)
    {
        if (eventIds.Count == 0)
        {
            return new Dictionary<Guid, int>();
        }
        var members = db.ConversationMembers.Where(m => m.LeftAt == null);
        var blocked = db.BlockedEitherWay(userId);
        var friends = db.FriendIdsOf(userId);
        var contacts = members
            .Where(mine => mine.UserId == userId)
            .Join(db.Conversations.Where(c => c.Type != ConversationType.Event), mine => mine.ConversationId, c => c.Id,
                (mine, _) => mine.ConversationId)
            .Join(members, conversationId => conversationId, other => other.ConversationId, (_, other) => other.UserId)
            .Where(other => other != userId && !blocked.Contains(other) && !friends.Contains(other));
        return await db.EventAttendances
            .Where(a => eventIds.Contains(a.EventId) && a.Status == AttendanceStatus.Going && contacts.Contains(a.UserId))
            .GroupBy(a => a.EventId)
            .Select(g => new { EventId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.EventId, g => g.Count, cancellationToken);
    }
}

/// <summary>Organizers <paramref name="userId"/> blocked, or who blocked them: discovery leaves their events out in SQL.</summary>
public interface IBlockedOrganizers
{
    Task<IReadOnlyCollection<Guid>> BlockedOrganizerIdsAsync(Guid userId, CancellationToken cancellationToken);
}

/// <summary>Everyone blocked either way (the candidate query keeps only organizers among them). One query.</summary>
public sealed class ChatBlockedOrganizers(KinderDbContext db) : IBlockedOrganizers
{
    public async Task<IReadOnlyCollection<Guid>> BlockedOrganizerIdsAsync(Guid userId, CancellationToken cancellationToken) =>
        await db.BlockedEitherWay(userId).Distinct().ToListAsync(cancellationToken);
}
