using Kinder.Core.Data;
using Kinder.Core.Events;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Kinder.Core.Chat;

/// <summary>
/// Each event's discussion: one conversation per event (unique <c>event_id</c>), titled like the event, owned by the
/// organizer, read-only once the event is over (or cancelled). The Api creates it with the event; Workers create it
/// here for events that have none yet (<see cref="EnsureAsync"/>), seeding everyone going, so an event older than
/// chat gets a complete discussion.
/// </summary>
public static class EventConversations
{
    /// <summary>
    /// The discussion of <paramref name="eventId"/>, created (committed at once, outside any transaction of the caller)
    /// if it has none: the organizer as owner, everyone going as members. Null when there is no such event.
    /// Safe to race: the unique <c>event_id</c> decides, the loser reads the winner's row.
    /// </summary>
    public static async Task<EnsuredEventConversation?> EnsureAsync(KinderDbContext db, Guid eventId, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var existing = await FindAsync(db, eventId, cancellationToken);
        if (existing is not null)
            return new EnsuredEventConversation(existing.Value, Created: false);

        var created = await db.Database.SqlQueryRaw<Guid>(EnsureSql,
                new NpgsqlParameter<Guid>("id", Guid.CreateVersion7()),
                new NpgsqlParameter<Guid>("event_id", eventId),
                new NpgsqlParameter<DateTimeOffset>("now", now),
                new NpgsqlParameter<string>("event_type", nameof(ConversationType.Event)),
                new NpgsqlParameter<int>("max_title", Conversation.MaxTitleLength),
                new NpgsqlParameter<string>("cancelled", nameof(EventStatus.Cancelled)),
                new NpgsqlParameter<string>("going", nameof(AttendanceStatus.Going)),
                new NpgsqlParameter<string>("owner", nameof(MemberRole.Owner)),
                new NpgsqlParameter<string>("member", nameof(MemberRole.Member)))
            .ToListAsync(cancellationToken);
        if (created.Count == 1)
            return new EnsuredEventConversation(created[0], Created: true);

        // No such event, or someone created it meanwhile (ON CONFLICT DO NOTHING).
        var raced = await FindAsync(db, eventId, cancellationToken);
        return raced is null ? null : new EnsuredEventConversation(raced.Value, Created: false);
    }

    private static Task<Guid?> FindAsync(KinderDbContext db, Guid eventId, CancellationToken cancellationToken) =>
        db.Conversations.Where(c => c.EventId == eventId).Select(c => (Guid?)c.Id).FirstOrDefaultAsync(cancellationToken);

    // One statement: the conversation from the event row, then its members (the organizer as owner, everyone going).
    private const string EnsureSql = """
        WITH created AS (
            INSERT INTO conversations (id, type, title, owner_id, event_id, direct_key, last_seq, last_activity_at,
                                       read_only_after, created_at)
            SELECT @id, @event_type, left(e.title, @max_title), e.organizer_id, e.id, NULL, 0, @now,
                   CASE WHEN e.status = @cancelled THEN least(coalesce(e.cancelled_at, @now), e.ends_at) ELSE e.ends_at END,
                   @now
            FROM events e WHERE e.id = @event_id
            ON CONFLICT (event_id) DO NOTHING
            RETURNING id, owner_id
        ),
        seeded AS (
            INSERT INTO conversation_members (conversation_id, user_id, role, joined_at, left_at, archived_at,
                                              last_read_seq, unread_count)
            SELECT c.id, c.owner_id, @owner, @now, NULL::timestamptz, NULL::timestamptz, 0, 0 FROM created c WHERE c.owner_id IS NOT NULL
            UNION ALL
            SELECT c.id, a.user_id, @member, @now, NULL::timestamptz, NULL::timestamptz, 0, 0
            FROM created c
            JOIN event_attendances a ON a.event_id = @event_id AND a.status = @going
            WHERE a.user_id IS DISTINCT FROM c.owner_id
        )
        SELECT id AS "Value" FROM created
        """;
}

/// <summary>An event's discussion and whether this call created it (with its seeded members).</summary>
public sealed record EnsuredEventConversation(Guid ConversationId, bool Created);
