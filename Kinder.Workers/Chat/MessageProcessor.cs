using System.Text.Json;
using Kinder.Core.Chat;
using Kinder.Core.Data;
using Kinder.Messaging;
using Kinder.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace Kinder.Workers.Chat;

/// <summary>
/// The chat path's persist step (Kinder.Core/Chat/README.md, step 2): <c>MessageSubmitted</c> on
/// <c>messages.incoming</c> → one <c>messages</c> row with the conversation's next seq → <c>MessageCreated</c> on
/// <c>messages.outgoing</c>. Records come in batches (whatever the consumer already fetched), and a batch costs one
/// round trip whatever its size: one pipelined command batch (lock the conversations, then one statement that
/// numbers, inserts, moves <c>last_seq</c> and the unread counters, then the recipients) that PostgreSQL runs as one
/// implicit transaction, committed at the batch's end (its Sync) — no separate BEGIN or COMMIT.
/// </summary>
/// <remarks>
/// <para>Idempotent by message id: a message that exists (a redelivery, a retry, a client's resend) is not inserted
/// again, but its <c>MessageCreated</c> is produced again, so a crash between commit and produce loses nothing.</para>
/// <para>No gaps, no duplicates: the conversation rows are locked (in id order) before the numbering statement runs,
/// and under READ COMMITTED that statement's snapshot is taken after the locks are held, so it sees every message a
/// processor that held them before us committed (two processors overlapping in a rebalance included). The unique
/// <c>(conversation_id, seq)</c> index and the primary key are the backstop: a violation fails the batch, which the
/// consumer host then retries record by record.</para>
/// </remarks>
public sealed class MessageProcessor(KinderDbContext db, IKafkaProducer producer, ObjectStorage storage,
    TimeProvider time, ILogger<MessageProcessor> logger) : IKafkaBatchHandler
{
    /// <summary>The most records one transaction takes (the consumer host's batch size, <c>Chat:ProcessorBatchSize</c>).</summary>
    public const int DefaultBatchSize = 200;

    // As MessageEntityTypeConfiguration's converter writes the jsonb column.
    private static readonly JsonSerializerOptions AttachmentJson = JsonSerializerOptions.Web;

    public Task HandleAsync(KafkaRecord record, CancellationToken cancellationToken) =>
        HandleBatchAsync([record], cancellationToken);

    public async Task HandleBatchAsync(IReadOnlyList<KafkaRecord> records, CancellationToken cancellationToken)
    {
        var submitted = new List<MessageSubmitted>(records.Count);
        var seen = new HashSet<Guid>();
        foreach (var record in records)
        {
            if (record.Envelope.Type != MessageSubmitted.RecordType)
            {
                logger.LogWarning("Ignoring a {Type} record on {Topic}: the message processor takes MessageSubmitted only",
                    record.Envelope.Type, record.Topic);
                continue;
            }
            var message = record.Envelope.Deserialize<MessageSubmitted>();
            // A client retry racing its first send can put one message in a batch twice: the first one counts.
            if (seen.Add(message.MessageId))
                submitted.Add(message);
        }
        if (submitted.Count == 0)
            return;

        // PostgreSQL keeps microseconds: announce the time history will show.
        var now = time.GetUtcNow();
        now = now.AddTicks(-(now.Ticks % 10));
        var outcome = await PersistAsync(submitted, now, cancellationToken);
        var existing = outcome.Existing.Count == 0
            ? new Dictionary<Guid, MessageView>()
            : await LoadExistingAsync(outcome.Existing, cancellationToken);

        // Started in order and awaited together: the idempotent producer keeps each conversation's partition in order.
        var produces = new List<Task>(submitted.Count);
        foreach (var message in submitted)
        {
            MessageView view;
            if (outcome.Inserted.TryGetValue(message.MessageId, out var seq))
                view = ViewOf(message, seq, now);
            else if (existing.TryGetValue(message.MessageId, out var stored))
                view = stored;
            else
            {
                logger.LogWarning(
                    "Dropped message {MessageId}: sender {SenderId} is not a member of conversation {ConversationId} (or it is gone)",
                    message.MessageId, message.SenderId, message.ConversationId);
                continue;
            }

            var recipients = outcome.Members.TryGetValue(message.ConversationId, out var members) ? members : [];
            produces.Add(producer.ProduceAsync(Topics.MessagesOutgoing, message.ConversationId.ToString(),
                KafkaEnvelope.Create(new MessageCreated(view, recipients)), cancellationToken));
        }
        await Task.WhenAll(produces);

        if (outcome.Inserted.Count > 0)
            logger.LogDebug("Persisted {Inserted} message(s), re-announced {Existing}", outcome.Inserted.Count, outcome.Existing.Count);
    }

    private sealed record PersistOutcome(
        Dictionary<Guid, long> Inserted, List<Guid> Existing, Dictionary<Guid, List<Guid>> Members);

    private async Task<PersistOutcome> PersistAsync(List<MessageSubmitted> messages, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var conversationIds = messages.Select(m => m.ConversationId).Distinct().ToArray();
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            // No explicit transaction: a batch's statements run in one implicit transaction (all or nothing).
            await using var batch = new NpgsqlBatch(connection);

            // 1. The conversations' row locks, in id order (no deadlock between processors with overlapping sets).
            var lockRows = new NpgsqlBatchCommand(MessageProcessorSql.LockConversations);
            lockRows.Parameters.Add(new NpgsqlParameter<Guid[]>("conversation_ids", conversationIds));
            batch.BatchCommands.Add(lockRows);

            // 2. Number, insert, count — in a statement whose snapshot is taken once the locks are held.
            var persist = new NpgsqlBatchCommand(MessageProcessorSql.Persist);
            persist.Parameters.Add(new NpgsqlParameter<Guid[]>("ids", messages.Select(m => m.MessageId).ToArray()));
            persist.Parameters.Add(new NpgsqlParameter<Guid[]>("conversation_ids", messages.Select(m => m.ConversationId).ToArray()));
            persist.Parameters.Add(new NpgsqlParameter<Guid?[]>("sender_ids", messages.Select(m => m.SenderId).ToArray()));
            persist.Parameters.Add(new NpgsqlParameter<string[]>("client_message_ids", messages.Select(m => m.ClientMessageId).ToArray()));
            persist.Parameters.Add(new NpgsqlParameter<string[]>("types", messages.Select(m => m.Type.ToString()).ToArray()));
            persist.Parameters.Add(new NpgsqlParameter<string?[]>("bodies", messages.Select(m => m.Body).ToArray()));
            persist.Parameters.Add(new NpgsqlParameter("attachments", NpgsqlDbType.Array | NpgsqlDbType.Jsonb)
            {
                Value = messages.Select(m => JsonSerializer.Serialize(m.Attachments ?? [], AttachmentJson)).ToArray(),
            });
            persist.Parameters.Add(new NpgsqlParameter<Guid?[]>("event_ids", messages.Select(m => m.EventId).ToArray()));
            persist.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("now", now));
            batch.BatchCommands.Add(persist);

            // 3. Who gets MessageCreated: the active members now, the sender included.
            var members = new NpgsqlBatchCommand(MessageProcessorSql.ActiveMembers);
            members.Parameters.Add(new NpgsqlParameter<Guid[]>("conversation_ids", conversationIds));
            batch.BatchCommands.Add(members);

            var inserted = new Dictionary<Guid, long>();
            var existing = new List<Guid>();
            var recipients = new Dictionary<Guid, List<Guid>>();
            await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken)) { } // the locked ids
                await reader.NextResultAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    var id = reader.GetGuid(0);
                    if (!reader.IsDBNull(1))
                        inserted[id] = reader.GetInt64(1);
                    else if (reader.GetBoolean(2))
                        existing.Add(id);
                }
                await reader.NextResultAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    var conversationId = reader.GetGuid(0);
                    if (!recipients.TryGetValue(conversationId, out var list))
                        recipients[conversationId] = list = [];
                    list.Add(reader.GetGuid(1));
                }
                // Past the last result to ReadyForQuery: the implicit transaction has committed (or this throws)
                // before anything is announced.
                await reader.NextResultAsync(cancellationToken);
            }

            return new PersistOutcome(inserted, existing, recipients);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>Messages persisted before (redeliveries): announced again as they are now, reactions included.</summary>
    private async Task<Dictionary<Guid, MessageView>> LoadExistingAsync(List<Guid> ids, CancellationToken cancellationToken)
    {
        var messages = await db.Messages.AsNoTracking().Where(m => ids.Contains(m.Id)).ToListAsync(cancellationToken);
        var reactions = (await db.MessageReactions.AsNoTracking()
                .Where(r => ids.Contains(r.MessageId))
                .GroupBy(r => new { r.MessageId, r.Emoji })
                .Select(g => new { g.Key.MessageId, g.Key.Emoji, Count = g.Count() })
                .ToListAsync(cancellationToken))
            .ToLookup(r => r.MessageId);
        var urlFor = UrlFor();
        return messages.ToDictionary(m => m.Id, m => MessageView.From(m,
            reactions[m.Id].ToDictionary(r => r.Emoji, r => r.Count), urlFor));
    }

    private MessageView ViewOf(MessageSubmitted submitted, long seq, DateTimeOffset createdAt) => MessageView.From(
        new Message
        {
            Id = submitted.MessageId,
            ConversationId = submitted.ConversationId,
            Seq = seq,
            SenderId = submitted.SenderId,
            ClientMessageId = submitted.ClientMessageId,
            Type = submitted.Type,
            Body = submitted.Body,
            Attachments = [.. submitted.Attachments ?? []],
            EventId = submitted.EventId,
            CreatedAt = createdAt,
        },
        new Dictionary<string, int>(), UrlFor());

    // Attachments are private: short-lived signed URLs, announced to the conversation's members only.
    private Func<string, string> UrlFor() => storage.SignedUrlFor;
}

/// <summary>The processor's SQL, in one place (names as the snake-case EF model maps them).</summary>
internal static class MessageProcessorSql
{
    public const string LockConversations = ConversationLocking.LockManySql;

    /// <summary>
    /// One row per submitted message: its id, the seq it got (null if not inserted) and whether it already existed.
    /// Senders must be active members now (system messages, with no sender, skip that); unknown conversations drop.
    /// Unread counters count every new message not from the member (system messages too), as read cursors recount.
    /// </summary>
    public const string Persist = """
        WITH input AS (
            SELECT * FROM unnest(@ids, @conversation_ids, @sender_ids, @client_message_ids, @types, @bodies,
                                 @attachments, @event_ids)
                WITH ORDINALITY AS t(id, conversation_id, sender_id, client_message_id, type, body, attachments, event_id, ord)
        ),
        existing AS (
            SELECT i.id FROM input i WHERE EXISTS (SELECT 1 FROM messages m WHERE m.id = i.id)
        ),
        numbered AS (
            SELECT i.*, c.last_seq + row_number() OVER (PARTITION BY i.conversation_id ORDER BY i.ord) AS seq
            FROM input i
            JOIN conversations c ON c.id = i.conversation_id
            WHERE i.id NOT IN (SELECT id FROM existing)
              AND (i.sender_id IS NULL OR EXISTS (
                    SELECT 1 FROM conversation_members cm
                    WHERE cm.conversation_id = i.conversation_id AND cm.user_id = i.sender_id AND cm.left_at IS NULL))
        ),
        inserted AS (
            INSERT INTO messages (id, conversation_id, seq, sender_id, client_message_id, type, body, attachments,
                                  event_id, created_at)
            SELECT id, conversation_id, seq, sender_id, client_message_id, type, body, attachments, event_id, @now
            FROM numbered
            RETURNING id, seq
        ),
        moved AS (
            UPDATE conversations c SET last_seq = n.last_seq, last_activity_at = @now
            FROM (SELECT conversation_id, max(seq) AS last_seq FROM numbered GROUP BY conversation_id) n
            WHERE c.id = n.conversation_id
        ),
        unread AS (
            UPDATE conversation_members cm SET unread_count = cm.unread_count + n.count
            FROM (SELECT m.conversation_id, m.user_id, count(*)::int AS count
                  FROM numbered nb
                  JOIN conversation_members m ON m.conversation_id = nb.conversation_id AND m.left_at IS NULL
                                             AND m.user_id IS DISTINCT FROM nb.sender_id
                  GROUP BY m.conversation_id, m.user_id) n
            WHERE cm.conversation_id = n.conversation_id AND cm.user_id = n.user_id
        )
        SELECT i.id, ins.seq, EXISTS (SELECT 1 FROM existing e WHERE e.id = i.id)
        FROM input i LEFT JOIN inserted ins ON ins.id = i.id
        ORDER BY i.ord
        """;

    public const string ActiveMembers = """
        SELECT conversation_id, user_id FROM conversation_members
        WHERE conversation_id = ANY(@conversation_ids) AND left_at IS NULL
        """;
}
