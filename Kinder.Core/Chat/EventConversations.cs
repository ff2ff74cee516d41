using Kinder.Core.Data;
using Kinder.Core.Events;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Kinder.Core.Chat;

/// <summary>
/// Finds or makes an event's discussion. The Api makes it with the event (<see cref="EventDiscussions.NewFor"/>);
/// events older than chat get theirs here, the first time their attendance or the event changes, with everyone
/// going already in it, so their discussion is as complete as a new event's.
/// </summary>
public static class EventConversations
{
    /// <summary>
    /// The discussion of <paramref name="eventId"/>, made (and saved at once) if it has none: shaped by
    /// <see cref="EventDiscussions.NewFor"/>, the organizer as owner, everyone going as members. Null when there is no
    /// such event. Safe to race: the unique <c>event_id</c> decides, and the loser reads the winner's row.
    /// </summary>
    public static async Task<EnsuredEventConversation?> EnsureAsync(KinderDbContext db, Guid eventId, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        if (await FindAsync(db, eventId, cancellationToken) is { } existing)
            return new EnsuredEventConversation(existing, Created: false);

        var @event = await db.Events.AsNoTracking().FirstOrDefaultAsync(e => e.Id == eventId, cancellationToken);
        if (@event is null)
            return null;
        var (conversation, organizer) = EventDiscussions.NewFor(@event, now);
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

    private static Task<Guid?> FindAsync(KinderDbContext db, Guid eventId, CancellationToken cancellationToken) =>
        db.Conversations.Where(c => c.EventId == eventId).Select(c => (Guid?)c.Id).FirstOrDefaultAsync(cancellationToken);
}

/// <summary>An event's discussion and whether this call made it (with its first members).</summary>
public sealed record EnsuredEventConversation(Guid ConversationId, bool Created);
