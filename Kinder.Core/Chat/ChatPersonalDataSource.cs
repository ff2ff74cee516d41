using Kinder.Core.Data;
using Kinder.Core.PersonalData;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Core.Chat;

/// <summary>
/// A user's chat: the conversations they are in, the messages they sent, their reactions and blocks. Erasing removes
/// their reactions and blocks, blanks their messages (they keep their seq, so nobody's history gets a gap) and takes
/// them out of every conversation.
/// </summary>
public sealed class ChatPersonalDataSource(KinderDbContext db, TimeProvider time) : IPersonalDataSource
{
    public string Section => "chat";

    public async Task<object?> ExportAsync(Guid userId, CancellationToken cancellationToken)
    {
        var memberships = await db.ConversationMembers.AsNoTracking()
            .Where(m => m.UserId == userId)
            .Join(db.Conversations, m => m.ConversationId, c => c.Id, (m, c) => new
            {
                ConversationId = c.Id, c.Type, c.Title, c.EventId, m.Role, m.JoinedAt, m.LeftAt, m.ArchivedAt, m.LastReadSeq,
            })
            .OrderBy(m => m.JoinedAt)
            .ToListAsync(cancellationToken);
        var messages = await db.Messages.AsNoTracking()
            .Where(m => m.SenderId == userId)
            .OrderBy(m => m.CreatedAt)
            .Select(m => new
            {
                m.Id, m.ConversationId, m.Seq, m.ClientMessageId, m.Type, m.Body, m.Attachments, m.EventId, m.CreatedAt,
                m.EditedAt, m.DeletedAt,
            })
            .ToListAsync(cancellationToken);
        var reactions = await db.MessageReactions.AsNoTracking()
            .Where(r => r.UserId == userId)
            .OrderBy(r => r.CreatedAt)
            .Select(r => new { r.MessageId, r.Emoji, r.CreatedAt })
            .ToListAsync(cancellationToken);
        var blocks = await db.UserBlocks.AsNoTracking()
            .Where(b => b.BlockerId == userId)
            .OrderBy(b => b.CreatedAt)
            .Select(b => new { UserId = b.BlockedId, b.CreatedAt })
            .ToListAsync(cancellationToken);
        return memberships.Count == 0 && messages.Count == 0 && reactions.Count == 0 && blocks.Count == 0
            ? null
            : new { memberships, messages, reactions, blocks };
    }

    public async Task EraseAsync(Guid userId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await db.MessageReactions.Where(r => r.UserId == userId).ExecuteDeleteAsync(cancellationToken);
        await db.UserBlocks.Where(b => b.BlockerId == userId || b.BlockedId == userId).ExecuteDeleteAsync(cancellationToken);
        await db.Messages.Where(m => m.SenderId == userId && (m.Body != null || m.DeletedAt == null))
            .ExecuteUpdateAsync(set => set
                .SetProperty(m => m.Body, (string?)null)
                .SetProperty(m => m.Attachments, new List<MessageAttachment>())
                .SetProperty(m => m.DeletedAt, m => m.DeletedAt ?? now), cancellationToken);
        await db.ConversationMembers.Where(m => m.UserId == userId && m.LeftAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(m => m.LeftAt, now).SetProperty(m => m.UnreadCount, 0)
                .SetProperty(m => m.Role, MemberRole.Member), cancellationToken);

        // Groups they owned pass to their longest-standing member, as when an owner leaves.
        var owned = await db.Conversations.Where(c => c.OwnerId == userId && c.Type == ConversationType.Group)
            .ToListAsync(cancellationToken);
        foreach (var group in owned)
        {
            var heir = await db.ConversationMembers
                .Where(m => m.ConversationId == group.Id && m.LeftAt == null)
                .OrderBy(m => m.JoinedAt).ThenBy(m => m.UserId)
                .FirstOrDefaultAsync(cancellationToken);
            group.OwnerId = heir?.UserId;
            if (heir is not null)
            {
                heir.Role = MemberRole.Owner;
            }
        }
        await db.SaveChangesAsync(cancellationToken);
    }
}
