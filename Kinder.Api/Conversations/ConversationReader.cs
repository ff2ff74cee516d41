using Kinder.Core.Chat;
using Kinder.Core.Data;
using Kinder.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Kinder.Api.Conversations;

/// <summary>Conversations and messages as a member sees them: conversations in one statement, messages in a fixed number.</summary>
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
        var rows = await db.ReadRowsAsync(ConversationReaderSql.ByIds, viewerId, eventMembers, storage,
            [new NpgsqlParameter<Guid[]>("ids", [.. ids])], cancellationToken);
        return rows.Select(row => row.Response(now)).ToList();
    }

    /// <summary>
    /// A page of the viewer's conversations (<see cref="ConversationReaderSql.Page"/>) in one statement: the rows,
    /// each with its sort key and the pinned time, and whether more follow.
    /// </summary>
    public static Task<List<ConversationRow>> ReadPageAsync(this KinderDbContext db, ObjectStorage storage,
        Guid viewerId, bool archived, ConversationCursor? after, int limit, DateTimeOffset now,
        CancellationToken cancellationToken) =>
        db.ReadRowsAsync(ConversationReaderSql.Page, viewerId, eventMembers: false, storage,
        [
            new NpgsqlParameter("as_of", NpgsqlDbType.TimestampTz) { Value = (object?)after?.AsOf ?? DBNull.Value },
            new NpgsqlParameter<DateTimeOffset>("now", now),
            new NpgsqlParameter<bool>("archived", archived),
            new NpgsqlParameter("after_activity", NpgsqlDbType.TimestampTz) { Value = (object?)after?.Activity ?? DBNull.Value },
            new NpgsqlParameter("after_id", NpgsqlDbType.Uuid) { Value = (object?)after?.Id ?? DBNull.Value },
            new NpgsqlParameter<int>("limit", limit),
        ], cancellationToken);

    private static Task<List<ConversationRow>> ReadRowsAsync(this KinderDbContext db, string sql, Guid viewerId,
        bool eventMembers, ObjectStorage storage, IReadOnlyList<NpgsqlParameter> parameters,
        CancellationToken cancellationToken) =>
        db.ReadRawAsync(sql,
            [
                new NpgsqlParameter<Guid>("viewer", viewerId),
                new NpgsqlParameter<bool>("event_members", eventMembers),
                .. parameters,
            ],
            reader => ConversationRow.Read(reader, storage), cancellationToken);

    /// <summary>
    /// Archiving puts a conversation away until it is unarchived or something new arrives in it: a message after
    /// the archiving brings it back to the main list by itself (nothing is written for that).
    /// </summary>
    public static bool IsArchived(DateTimeOffset? archivedAt, DateTimeOffset lastActivityAt) =>
        archivedAt is { } at && lastActivityAt <= at;

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
            .ToDictionary(g => g.Key, g => InOrder(g.Select(c => (c.Emoji, c.Count, c.First))));
    }

    /// <summary>A message's reaction counts as clients get them: the emoji reacted with first comes first.</summary>
    public static IReadOnlyDictionary<string, int> InOrder(IEnumerable<(string Emoji, int Count, DateTimeOffset First)> counts) =>
        counts.OrderBy(c => c.First).ThenBy(c => c.Emoji, StringComparer.Ordinal).ToDictionary(c => c.Emoji, c => c.Count);

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
