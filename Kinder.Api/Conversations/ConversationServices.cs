using Kinder.Core.Chat;
using Kinder.Core.Data;
using Kinder.Messaging;
using Kinder.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Api.Conversations;

/// <summary>The conversation and message handlers' dependencies, registered scoped and taken as one parameter.</summary>
public sealed class ConversationServices(KinderDbContext db, ObjectStorage storage, TimeProvider time,
    ConversationAccess access, ChatSignals signals, IKafkaProducer producer)
{
    public KinderDbContext Db => db;
    public ObjectStorage Storage => storage;
    public TimeProvider Time => time;
    public ConversationAccess Access => access;
    public ChatSignals Signals => signals;
    public IKafkaProducer Producer => producer;

    /// <summary>
    /// Deletes a message, inside the caller's transaction: the body and attachments go, the seq stays (history keeps no
    /// gap, and shows it deleted), it stops counting as unread, and the members are told (MessageUpdated: the hub, and
    /// the next sync). The sender deleting it and a moderator removing it (Moderation) both come here. False when it
    /// was already deleted.
    /// </summary>
    public async Task<bool> DeleteMessageAsync(Message message, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var changed = await db.Database.ExecuteSqlAsync(
            $"UPDATE messages SET body = NULL, attachments = '[]'::jsonb, deleted_at = {now} WHERE id = {message.Id} AND deleted_at IS NULL",
            cancellationToken);
        if (changed == 0)
        {
            return false;
        }
        // It no longer counts as unread for anyone who had not read it yet.
        await db.ConversationMembers
            .Where(m => m.ConversationId == message.ConversationId && m.UserId != message.SenderId && m.LeftAt == null
                && m.LastReadSeq < message.Seq && m.UnreadCount > 0)
            .ExecuteUpdateAsync(set => set.SetProperty(m => m.UnreadCount, m => m.UnreadCount - 1), cancellationToken);
        await SignalMessageUpdatedAsync(message.Id, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>The changed message as clients read it, with its MessageUpdated signal added to this unit of work.</summary>
    public async Task<MessageView> SignalMessageUpdatedAsync(Guid messageId, CancellationToken cancellationToken)
    {
        var stored = await db.Messages.AsNoTracking().SingleAsync(m => m.Id == messageId, cancellationToken);
        var view = (await db.ViewsAsync(Storage, [stored], cancellationToken))[0];
        await signals.MessageUpdatedAsync(view, cancellationToken);
        return view;
    }
}
