using Kinder.Core.Data;
using Kinder.Messaging;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Core.Chat;

/// <summary>
/// Moves a member's read cursor forward (REST <c>PUT …/read</c> and hub <c>MarkRead</c>) and recounts their unread
/// messages, then tells the conversation (<c>message:read</c>) so every device of every member is in step.
/// </summary>
public sealed class ReadCursors(KinderDbContext db, ConversationAccess access, IKafkaProducer producer)
{
    /// <returns>False when the user is not an active member (answer 404); true otherwise, also when nothing moved.</returns>
    public async Task<bool> MarkReadAsync(Guid conversationId, Guid userId, long seq, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(seq);
        var moved = await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            // Lock the member row first, then count in a later statement: under READ COMMITTED that statement sees
            // every message the processor committed before it got the lock, and the processor's increments for later
            // messages wait for us, so the count is never stale.
            var member = await db.Set<ConversationMember>()
                .FromSql($"SELECT * FROM conversation_members WHERE conversation_id = {conversationId} AND user_id = {userId} AND left_at IS NULL FOR UPDATE")
                .SingleOrDefaultAsync(cancellationToken);
            if (member is null)
                return (Found: false, Seq: 0L);

            var lastSeq = await db.Set<Conversation>().Where(c => c.Id == conversationId).Select(c => c.LastSeq)
                .SingleAsync(cancellationToken);
            var target = Math.Min(seq, lastSeq);
            if (target <= member.LastReadSeq)
                return (Found: true, Seq: 0L);

            member.LastReadSeq = target;
            member.UnreadCount = await db.Set<Message>()
                .CountAsync(m => m.ConversationId == conversationId && m.Seq > target && m.SenderId != userId
                    && m.DeletedAt == null, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return (Found: true, Seq: target);
        });

        if (!moved.Found)
            return false;
        if (moved.Seq > 0)
        {
            var recipients = await access.ActiveMemberIdsAsync(conversationId, cancellationToken);
            await producer.ProduceAsync(Topics.MessagesOutgoing, conversationId.ToString(),
                KafkaEnvelope.Create(                    new MessageRead(conversationId, userId, moved.Seq, recipients)), cancellationToken);
        }

        return true;
    }
}
