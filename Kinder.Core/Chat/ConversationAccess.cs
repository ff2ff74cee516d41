using Kinder.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Core.Chat;

/// <summary>
/// Who may see and write to a conversation, asked the same way by the Api, the Realtime hub and Workers. Someone who
/// is not an active member learns nothing: every "no" to a non-member is <see cref="WriteAccess.NotFound"/>.
/// </summary>
public sealed class ConversationAccess(KinderDbContext db, TimeProvider time) : IConversationWriteAccess
{
    /// <summary>The conversation if <paramref name="userId"/> is an active member of it, else null (answer 404).</summary>
    public Task<Conversation?> FindForMemberAsync(Guid conversationId, Guid userId, CancellationToken cancellationToken) =>
        db.Set<Conversation>().AsNoTracking()
            .Where(c => c.Id == conversationId
                && db.Set<ConversationMember>().Any(m => m.ConversationId == c.Id && m.UserId == userId && m.LeftAt == null))
            .SingleOrDefaultAsync(cancellationToken);

    /// <summary>Whether either user blocked the other (<see cref="UserBlocks.BetweenAsync"/>).</summary>
    public Task<bool> IsBlockedEitherWayAsync(Guid a, Guid b, CancellationToken cancellationToken) =>
        db.BetweenAsync(a, b, cancellationToken);

    /// <summary>Which of <paramref name="others"/> blocked <paramref name="userId"/> or were blocked by them.</summary>
    public Task<List<Guid>> BlockedEitherWayAmongAsync(Guid userId, IReadOnlyCollection<Guid> others,
        CancellationToken cancellationToken) =>
        db.BlockedEitherWay(userId).Where(other => others.Contains(other)).Distinct().ToListAsync(cancellationToken);

    /// <summary>Whether <paramref name="userId"/> may write to the conversation now.</summary>
    public async Task<WriteAccess> CheckWriteAsync(Guid conversationId, Guid userId, CancellationToken cancellationToken)
    {
        var conversation = await FindForMemberAsync(conversationId, userId, cancellationToken);
        if (conversation is null)
            return WriteAccess.NotFound;
        var otherMember = conversation.Type == ConversationType.Direct
            ? await db.Set<ConversationMember>()
                .Where(m => m.ConversationId == conversationId && m.UserId != userId)
                .Select(m => (Guid?)m.UserId)
                .FirstOrDefaultAsync(cancellationToken)
            : null;
        var counterpart = CounterpartOf(conversation, userId, otherMember);
        return WriteAccessOf(conversation.IsReadOnlyAt(time.GetUtcNow()),
            counterpart is { } other && await IsBlockedEitherWayAsync(userId, other, cancellationToken));
    }

    /// <summary>
    /// Whose block (either way) keeps <paramref name="userId"/> from writing: the other one of a direct conversation,
    /// or an event discussion's organizer (the discussion is theirs); nobody's in a group.
    /// </summary>
    public static Guid? CounterpartOf(Conversation conversation, Guid userId, Guid? otherDirectMember) => conversation.Type switch
    {
        ConversationType.Direct => otherDirectMember,
        ConversationType.Event when conversation.OwnerId is { } organizerId && organizerId != userId => organizerId,
        _ => null,
    };

    /// <summary>The write rules for a member: read-only first, then a block with the counterpart.</summary>
    public static WriteAccess WriteAccessOf(bool readOnly, bool blocked) =>
        readOnly ? WriteAccess.ReadOnly : blocked ? WriteAccess.Blocked : WriteAccess.Allowed;

    /// <summary>The conversation's active members.</summary>
    public Task<List<Guid>> ActiveMemberIdsAsync(Guid conversationId, CancellationToken cancellationToken) =>
        db.Set<ConversationMember>()
            .Where(m => m.ConversationId == conversationId && m.LeftAt == null)
            .Select(m => m.UserId)
            .ToListAsync(cancellationToken);

    /// <summary>
    /// The people <paramref name="userId"/> shares an active conversation with, neither having blocked the other: who
    /// sees their presence.
    /// </summary>
    public Task<List<Guid>> ContactIdsAsync(Guid userId, CancellationToken cancellationToken)
    {
        var members = db.Set<ConversationMember>();
        var blocked = db.BlockedEitherWay(userId);
        return members
            .Where(mine => mine.UserId == userId && mine.LeftAt == null)
            .Join(members.Where(other => other.LeftAt == null), mine => mine.ConversationId, other => other.ConversationId,
                (_, other) => other.UserId)
            .Where(other => other != userId && !blocked.Contains(other))
            .Distinct()
            .ToListAsync(cancellationToken);
    }
}

public enum WriteAccess
{
    Allowed,

    /// <summary>Not a member (or no such conversation): 404, nothing learned.</summary>
    NotFound,

    /// <summary>
    /// A direct conversation where one of the two blocked the other, or an event discussion whose organizer and the
    /// writer are blocked either way: 403 <c>USER_BLOCKED</c>.
    /// </summary>
    Blocked,

    /// <summary>An event discussion after its event is over or cancelled: 403 <c>CONVERSATION_READ_ONLY</c>.</summary>
    ReadOnly,
}
