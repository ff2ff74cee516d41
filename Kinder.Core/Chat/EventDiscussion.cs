using Kinder.Core.Data;
using Kinder.Core.Events;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Kinder.Core.Chat;

/// <summary>
/// An event's discussion, and everything that changes it: one per event (unique <c>event_id</c>), owned by the
/// organizer, its members the people going, read-only once the event is over or cancelled. The Api starts it with the
/// event and makes it follow the event's changes; Workers move members as attendance changes and make it for events
/// older than chat. Both come here.
/// </summary>
public static class EventDiscussion
{
    /// <summary>The discussion of a new event and its organizer as owner, not yet added to any context.</summary>
    public static (Conversation Conversation, ConversationMember Organizer) NewFor(Event @event, DateTimeOffset now)
    {
        var conversation = new Conversation
        {
            Type = ConversationType.Event,
            EventId = @event.Id,
            OwnerId = @event.OrganizerId,
            Title = Truncate(@event.Title),
            ReadOnlyAfter = ReadOnlyAfter(@event, now),
            LastActivityAt = now,
            CreatedAt = now,
        };
        var organizer = new ConversationMember
        {
            ConversationId = conversation.Id,
            UserId = @event.OrganizerId,
            Role = MemberRole.Owner,
            JoinedAt = now,
        };
        return (conversation, organizer);
    }

    /// <summary>Adds a new event's discussion to <paramref name="db"/>, to be saved with the event.</summary>
    public static Conversation Start(KinderDbContext db, Event @event, DateTimeOffset now)
    {
        var (conversation, organizer) = NewFor(@event, now);
        db.Conversations.Add(conversation);
        db.ConversationMembers.Add(organizer);
        return conversation;
    }

    /// <summary>Keeps the discussion's title and read-only time in step with a changed or cancelled event.</summary>
    public static void Follow(Conversation conversation, Event @event, DateTimeOffset now)
    {
        conversation.Title = Truncate(@event.Title);
        conversation.ReadOnlyAfter = ReadOnlyAfter(@event, now);
    }

    /// <summary><see cref="Follow"/> on the event's discussion, if it has one (tracked: saved with the event).</summary>
    public static async Task FollowAsync(KinderDbContext db, Event @event, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var discussion = await db.Conversations.FirstOrDefaultAsync(c => c.EventId == @event.Id, cancellationToken);
        if (discussion is not null)
            Follow(discussion, @event, now);
    }

    /// <summary>
    /// The discussion of <paramref name="eventId"/>, made (and saved at once) if it has none: shaped by
    /// <see cref="NewFor"/>, the organizer as owner, everyone going as members, so an older event's discussion is as
    /// complete as a new event's. Null when there is no such event. Safe to race: the unique <c>event_id</c> decides,
    /// and the loser reads the winner's row.
    /// </summary>
    public static async Task<EnsuredEventConversation?> EnsureAsync(KinderDbContext db, Guid eventId, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        if (await FindAsync(db, eventId, cancellationToken) is { } existing)
            return new EnsuredEventConversation(existing, Created: false);

        var @event = await db.Events.AsNoTracking().FirstOrDefaultAsync(e => e.Id == eventId, cancellationToken);
        if (@event is null)
            return null;
        var (conversation, organizer) = NewFor(@event, now);
        var going = await db.EventAttendances
            .Where(a => a.EventId == eventId && a.Status == AttendanceStatus.Going && a.UserId != @event.OrganizerId)
            .Select(a => a.UserId)
            .ToListAsync(cancellationToken);
        var members = going
            .Select(userId => new ConversationMember { ConversationId = conversation.Id, UserId = userId, JoinedAt = now })
            .Prepend(organizer)
            .ToList();
        db.Conversations.Add(conversation);
        db.ConversationMembers.AddRange(members);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return new EnsuredEventConversation(conversation.Id, Created: true);
        }
        catch (DbUpdateException exception) when (exception.InnerException is PostgresException
            { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // Made meanwhile (the Api, or another consumer in a rebalance): forget ours, use theirs.
            db.Entry(conversation).State = EntityState.Detached;
            foreach (var member in members)
                db.Entry(member).State = EntityState.Detached;
            return await FindAsync(db, eventId, cancellationToken) is { } raced
                ? new EnsuredEventConversation(raced, Created: false)
                : null;
        }
    }

    /// <summary>
    /// Makes <paramref name="userId"/> a member (going) or not (anything else), under the conversation's lock; true
    /// when that changed anything. A comer-back gets a fresh read cursor; a member stays as is.
    /// </summary>
    public static Task<bool> SetMemberAsync(KinderDbContext db, Guid conversationId, Guid userId, bool member,
        DateTimeOffset now, CancellationToken cancellationToken) =>
        db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            // As the message processor takes it: the newcomer's cursor starts at the last seq it can see.
            await db.LockConversationsAsync([conversationId], cancellationToken);
            var rows = member
                ? await db.Database.ExecuteSqlRawAsync(JoinSql, [
                    new NpgsqlParameter<Guid>("conversation_id", conversationId),
                    new NpgsqlParameter<Guid>("user_id", userId),
                    new NpgsqlParameter<DateTimeOffset>("now", now),
                    new NpgsqlParameter<string>("owner", nameof(MemberRole.Owner)),
                    new NpgsqlParameter<string>("member", nameof(MemberRole.Member)),
                ], cancellationToken)
                : await db.ConversationMembers
                    .Where(m => m.ConversationId == conversationId && m.UserId == userId && m.LeftAt == null)
                    .ExecuteUpdateAsync(m => m.SetProperty(x => x.LeftAt, now).SetProperty(x => x.UnreadCount, 0),
                        cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return rows > 0;
        });

    /// <summary>
    /// Sets the read-only time (the Api moves it with the event's change; this covers discussions made before that).
    /// </summary>
    /// <param name="lowerOnly">Only ever bring it forward (a cancellation), never push it back.</param>
    public static Task MoveReadOnlyAsync(KinderDbContext db, Guid conversationId, DateTimeOffset after, bool lowerOnly,
        CancellationToken cancellationToken) =>
        db.Conversations
            .Where(c => c.Id == conversationId && (!lowerOnly || c.ReadOnlyAfter == null || c.ReadOnlyAfter > after))
            .ExecuteUpdateAsync(c => c.SetProperty(x => x.ReadOnlyAfter, after), cancellationToken);

    private static Task<Guid?> FindAsync(KinderDbContext db, Guid eventId, CancellationToken cancellationToken) =>
        db.Conversations.Where(c => c.EventId == eventId).Select(c => (Guid?)c.Id).FirstOrDefaultAsync(cancellationToken);

    private static DateTimeOffset ReadOnlyAfter(Event @event, DateTimeOffset now) =>
        @event.Status == EventStatus.Cancelled && now < @event.EndsAt ? now : @event.EndsAt;

    private static string Truncate(string title) =>
        title.Length <= Conversation.MaxTitleLength ? title : title[..Conversation.MaxTitleLength];

    /// <summary>Joins, or comes back (a left row becomes active again with a fresh read cursor); a member stays as is.</summary>
    private const string JoinSql = """
        INSERT INTO conversation_members (conversation_id, user_id, role, joined_at, left_at, archived_at,
                                          last_read_seq, unread_count)
        SELECT c.id, @user_id, CASE WHEN c.owner_id = @user_id THEN @owner ELSE @member END, @now, NULL::timestamptz, NULL::timestamptz, c.last_seq, 0
        FROM conversations c WHERE c.id = @conversation_id
        ON CONFLICT (conversation_id, user_id) DO UPDATE
            SET left_at = NULL, joined_at = EXCLUDED.joined_at, archived_at = NULL,
                last_read_seq = EXCLUDED.last_read_seq, unread_count = 0
            WHERE conversation_members.left_at IS NOT NULL
        """;
}

/// <summary>An event's discussion and whether this call made it (with its first members).</summary>
public sealed record EnsuredEventConversation(Guid ConversationId, bool Created);
