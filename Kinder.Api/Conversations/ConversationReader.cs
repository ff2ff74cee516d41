using Kinder.Core.Chat;
using Kinder.Core.Data;
using Kinder.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Api.Conversations;

/// <summary>Conversations and messages as a member sees them, each read in a fixed number of queries.</summary>
public static class ConversationReader
{
    /// <summary>
    /// The conversations, in the order of <paramref name="ids"/>, that <paramref name="viewerId"/> is an active member of.
    /// With <paramref name="eventMembers"/> false, event discussions come without their member list.
    /// </summary>
    public static async Task<List<ConversationResponse>> ReadManyAsync(this KinderDbContext db, ObjectStorage storage,
        IReadOnlyList<Guid> ids, Guid viewerId, bool eventMembers, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return [];
        }
        var rows = await db.ConversationMembers.AsNoTracking()
            .Where(m => m.UserId == viewerId && m.LeftAt == null && ids.Contains(m.ConversationId))
            .Join(db.Conversations, m => m.ConversationId, c => c.Id, (m, c) => new { Member = m, Conversation = c })
            .ToDictionaryAsync(row => row.Conversation.Id, cancellationToken);
        var counts = await db.ConversationMembers
            .Where(m => ids.Contains(m.ConversationId) && m.LeftAt == null)
            .GroupBy(m => m.ConversationId)
            .Select(g => new { Id = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Id, g => g.Count, cancellationToken);
        var listed = rows.Values
            .Where(row => eventMembers || row.Conversation.Type != ConversationType.Event)
            .Select(row => row.Conversation.Id)
            .ToList();
        var members = (await db.ConversationMembers.AsNoTracking()
                .Where(m => listed.Contains(m.ConversationId) && m.LeftAt == null)
                .Join(db.Users, m => m.UserId, u => u.Id, (m, u) => new
                {
                    m.ConversationId, u.Id, u.DisplayName, u.AvatarKey, m.Role, m.JoinedAt,
                })
                .OrderBy(m => m.JoinedAt).ThenBy(m => m.Id)
                .ToListAsync(cancellationToken))
            .ToLookup(m => m.ConversationId,
                m => new ConversationMemberResponse(m.Id, m.DisplayName, storage.UrlFor(m.AvatarKey), m.Role, m.JoinedAt));
        var lastMessages = await db.Messages.AsNoTracking()
            .Join(db.Conversations.Where(c => ids.Contains(c.Id)),
                m => new { m.ConversationId, m.Seq }, c => new { ConversationId = c.Id, Seq = c.LastSeq }, (m, _) => m)
            .ToListAsync(cancellationToken);
        var lastViews = (await db.ViewsAsync(storage, lastMessages, cancellationToken))
            .ToDictionary(view => view.ConversationId);

        var responses = new List<ConversationResponse>(rows.Count);
        foreach (var id in ids)
        {
            if (!rows.TryGetValue(id, out var row))
            {
                continue;
            }
            var (member, conversation) = (row.Member, row.Conversation);
            responses.Add(new ConversationResponse(
                conversation.Id,
                conversation.Type,
                conversation.Title,
                conversation.EventId,
                conversation.OwnerId,
                eventMembers || conversation.Type != ConversationType.Event ? members[id].ToList() : null,
                counts.GetValueOrDefault(id),
                lastViews.GetValueOrDefault(id),
                conversation.LastSeq,
                member.UnreadCount,
                member.LastReadSeq,
                IsArchived(member, conversation),
                conversation.IsReadOnlyAt(now),
                conversation.LastActivityAt,
                conversation.CreatedAt));
        }
        return responses;
    }

    /// <summary>
    /// Archiving puts a conversation away until it is unarchived or something new arrives in it: a message after
    /// the archiving brings it back to the main list by itself (nothing is written for that).
    /// </summary>
    public static bool IsArchived(ConversationMember member, Conversation conversation) =>
        member.ArchivedAt is { } archivedAt && conversation.LastActivityAt <= archivedAt;

    /// <summary>The messages as clients read them, with their reaction counts, in the order given.</summary>
    public static async Task<List<MessageView>> ViewsAsync(this KinderDbContext db, ObjectStorage storage,
        IReadOnlyList<Message> messages, CancellationToken cancellationToken)
    {
        var reactions = await db.ReactionCountsAsync(messages.Select(m => m.Id).ToList(), cancellationToken);
        return messages
            // Attachments are private: short-lived signed URLs, for the members this view is read by.
            .Select(m => MessageView.From(m, reactions.GetValueOrDefault(m.Id) ?? Empty, storage.SignedUrlFor))
            .ToList();
    }

    /// <summary>Per message, how many people reacted with each emoji (messages without reactions are missing).</summary>
    public static async Task<Dictionary<Guid, IReadOnlyDictionary<string, int>>> ReactionCountsAsync(
        this KinderDbContext db, IReadOnlyList<Guid> messageIds, CancellationToken cancellationToken)
    {
        if (messageIds.Count == 0)
        {
            return [];
        }
        var counts = await db.MessageReactions
            .Where(r => messageIds.Contains(r.MessageId))
            .GroupBy(r => new { r.MessageId, r.Emoji })
            .Select(g => new { g.Key.MessageId, g.Key.Emoji, Count = g.Count(), First = g.Min(r => r.CreatedAt) })
            .ToListAsync(cancellationToken);
        return counts
            .GroupBy(c => c.MessageId)
            .ToDictionary(g => g.Key, g => (IReadOnlyDictionary<string, int>)g
                .OrderBy(c => c.First).ThenBy(c => c.Emoji, StringComparer.Ordinal)
                .ToDictionary(c => c.Emoji, c => c.Count));
    }

    /// <summary>One conversation as <paramref name="userId"/> sees it (with an event's members); null to non-members.</summary>
    public static async Task<ConversationResponse?> ReadOneAsync(this ConversationServices services, Guid id, Guid userId,
        CancellationToken cancellationToken) =>
        (await services.Db.ReadManyAsync(services.Storage, [id], userId, eventMembers: true, services.Time.GetUtcNow(),
            cancellationToken)).FirstOrDefault();

    /// <summary>One message's reaction counts by emoji.</summary>
    public static async Task<IReadOnlyDictionary<string, int>> ReactionsOfAsync(this ConversationServices services,
        Guid messageId, CancellationToken cancellationToken) =>
        (await services.Db.ReactionCountsAsync([messageId], cancellationToken)).GetValueOrDefault(messageId)
        ?? new Dictionary<string, int>();

    public static Task<Dictionary<Guid, string>> DisplayNamesAsync(this KinderDbContext db, IReadOnlyList<Guid> ids,
        CancellationToken cancellationToken) =>
        db.Users.Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, cancellationToken);

    private static readonly IReadOnlyDictionary<string, int> Empty = new Dictionary<string, int>();
}
