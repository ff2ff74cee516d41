using Kinder.Core.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Kinder.Core.Chat;

/// <summary>
/// The conversation's row lock (<c>FOR UPDATE</c>), held for the rest of the current transaction: messages are numbered
/// under it (<c>last_seq + 1</c>, decision 0006), and every membership change takes it too, so a join cannot slip
/// between a message's numbering and its unread counting. A message's own row lock (<see cref="LockMessageAsync"/>)
/// orders its reaction changes.
/// </summary>
public static class ConversationLocking
{
    /// <summary>Many conversations' locks in one statement, in id order (no deadlock between overlapping sets).</summary>
    public const string LockManySql = """
        SELECT id FROM conversations WHERE id = ANY(@conversation_ids) ORDER BY id FOR UPDATE
        """;

    /// <summary>Loads the conversation tracked and row-locked.</summary>
    public static Task<Conversation> LockConversationAsync(this KinderDbContext db, Guid conversationId,
        CancellationToken cancellationToken) =>
        db.Conversations.FromSql($"SELECT * FROM conversations WHERE id = {conversationId} FOR UPDATE")
            .SingleAsync(cancellationToken);

    /// <summary>Row-locks the conversations of <paramref name="conversationIds"/> (those that exist) in id order.</summary>
    public static Task LockConversationsAsync(this KinderDbContext db, IReadOnlyCollection<Guid> conversationIds,
        CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlRawAsync(LockManySql,
            [new NpgsqlParameter<Guid[]>("conversation_ids", conversationIds.ToArray())], cancellationToken);

    /// <summary>
    /// Row-locks one message (<c>FOR NO KEY UPDATE</c>, what an edit or delete takes) for the rest of the current
    /// transaction: its reaction changes run one after another, so the counts each reaction signal carries are the
    /// counts as of its commit.
    /// </summary>
    public static Task LockMessageAsync(this KinderDbContext db, Guid messageId, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync($"SELECT 1 FROM messages WHERE id = {messageId} FOR NO KEY UPDATE", cancellationToken);
}
