using System.Text.Json;
using Kinder.Core.Chat;
using Kinder.Core.Data;
using Kinder.Core.Notifications;
using Kinder.Core.Presence;
using Kinder.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Kinder.Workers.Notifications;

/// <summary>
/// Chat <c>message</c> notifications, presence-aware. A new message's members offline on every device get a
/// <see cref="ScheduledJobKinds.ChatNotification"/> job due after <see cref="NotificationOptions.ChatPushDelay"/> (one
/// per member and conversation: later messages move the job to the newest one, the due time stays). When it is due the
/// notification is made only if the member is still offline everywhere and has not read up to it; the feed's collapse
/// key keeps one unread notification per conversation, so a conversation pushes once until it is read.
/// </summary>
public sealed class ChatNotifications(OnlineUsers presence, KinderDbContext db, NotificationWriter writer,
    IOptions<NotificationOptions> options, TimeProvider time, ILogger<ChatNotifications> logger)
{
    private const int MaxPreviewLength = 140;

    public static string CollapseKey(Guid conversationId) => $"conversation:{conversationId}";

    /// <summary>
    /// Schedules the notification of each new message for its members offline on every device: one presence read and
    /// one statement for the whole batch, and per member and conversation only the newest message counts.
    /// </summary>
    public async Task ScheduleAsync(IReadOnlyList<MessageCreated> created, CancellationToken cancellationToken)
    {
        var newest = new Dictionary<(Guid UserId, Guid ConversationId), MessageView>();
        foreach (var (message, recipientIds) in created)
        {
            if (message.DeletedAt is not null)
                continue;
            foreach (var userId in recipientIds)
            {
                if (userId != message.SenderId
                    && (!newest.TryGetValue((userId, message.ConversationId), out var seen) || seen.Seq < message.Seq))
                    newest[(userId, message.ConversationId)] = message;
            }
        }
        if (newest.Count == 0)
            return;
        var candidates = newest.Keys.Select(key => key.UserId).Distinct().ToList();
        var online = await presence.AreOnlineAsync(candidates);
        var offline = candidates.Where((_, index) => !online[index]).ToHashSet();
        var jobs = newest.Where(job => offline.Contains(job.Key.UserId)).ToList();
        if (jobs.Count == 0)
            return;
        var now = time.GetUtcNow();
        await db.ReadRawAsync(ScheduleSql,
        [
            new NpgsqlParameter<Guid[]>("ids", [.. jobs.Select(_ => Guid.CreateVersion7(now))]),
            new NpgsqlParameter<string[]>("keys", [.. jobs.Select(job => $"chat:{job.Key.UserId}:{job.Key.ConversationId}")]),
            new NpgsqlParameter<string[]>("payloads", [.. jobs.Select(job => JsonSerializer.Serialize(
                new ChatNotificationDue(job.Key.UserId, job.Key.ConversationId, job.Value.Id, job.Value.Seq),
                JsonSerializerOptions.Web))]),
            new NpgsqlParameter<DateTimeOffset>("due", now + options.Value.ChatPushDelay),
            new NpgsqlParameter<DateTimeOffset>("now", now),
        ], _ => 0, cancellationToken);
    }

    /// <summary>The member read the conversation: its message notification is read too (and the next message may notify).</summary>
    public Task<int> ReadAsync(MessageRead read, CancellationToken cancellationToken)
    {
        var key = CollapseKey(read.ConversationId);
        var now = time.GetUtcNow();
        return db.Notifications.Where(n => n.UserId == read.UserId && n.CollapseKey == key && n.ReadAt == null)
            .ExecuteUpdateAsync(n => n.SetProperty(x => x.ReadAt, now), cancellationToken);
    }

    /// <summary>A due job: notify, unless the member read up to the message, came online or left.</summary>
    public async Task RunAsync(ChatNotificationDue due, CancellationToken cancellationToken)
    {
        var lastRead = await db.ConversationMembers.AsNoTracking()
            .Where(m => m.ConversationId == due.ConversationId && m.UserId == due.UserId && m.LeftAt == null)
            .Select(m => (long?)m.LastReadSeq).SingleOrDefaultAsync(cancellationToken);
        if (lastRead is null || lastRead >= due.Seq || (await presence.AreOnlineAsync([due.UserId]))[0])
        {
            logger.LogDebug("Message {MessageId} not notified to {UserId}: read, online or no longer a member", due.MessageId, due.UserId);
            return;
        }
        var message = await db.Messages.AsNoTracking().Where(m => m.Id == due.MessageId && m.DeletedAt == null)
            .Select(m => new { m.Type, m.Body, m.SenderId }).SingleOrDefaultAsync(cancellationToken);
        var conversation = await db.Conversations.AsNoTracking().Where(c => c.Id == due.ConversationId)
            .Select(c => new { c.Title }).SingleOrDefaultAsync(cancellationToken);
        if (message is null || conversation is null)
            return;
        var senderName = message.SenderId is { } senderId
            ? await db.Users.Where(u => u.Id == senderId).Select(u => u.DisplayName).SingleOrDefaultAsync(cancellationToken)
            : null;
        var title = conversation.Title ?? senderName ?? "Kinder";
        var preview = Preview(message.Type, message.Body);
        // In a group the title names the group, so the body says who wrote.
        var body = conversation.Title is not null && senderName is not null ? $"{senderName}: {preview}" : preview;
        await writer.WriteAsync(new NotificationCause(NotificationTypes.Message, $"message:{due.MessageId}", title, body,
            new NotificationData(ConversationId: due.ConversationId, MessageId: due.MessageId),
            CollapseKey(due.ConversationId), due.Seq), [due.UserId], cancellationToken);
    }

    public static string Preview(MessageType type, string? body)
    {
        var text = type switch
        {
            MessageType.Image => string.IsNullOrWhiteSpace(body) ? "Sent a photo" : body,
            MessageType.File => string.IsNullOrWhiteSpace(body) ? "Sent a file" : body,
            MessageType.EventInvite => string.IsNullOrWhiteSpace(body) ? "Shared an event" : body,
            _ => body ?? "",
        };
        text = text.ReplaceLineEndings(" ").Trim();
        return text.Length <= MaxPreviewLength ? text : string.Concat(text.AsSpan(0, MaxPreviewLength - 1), "…");
    }

    // One job per member and conversation: a newer message replaces the payload, the due time stays.
    private const string ScheduleSql = """
        INSERT INTO scheduled_jobs (id, kind, key, due_at, payload, attempts, created_at)
        SELECT j.id, 'chat-notification', j.key, @due, j.payload::jsonb, 0, @now
        FROM unnest(@ids, @keys, @payloads) AS j(id, key, payload)
        ON CONFLICT (key) DO UPDATE SET payload = excluded.payload
        WHERE (scheduled_jobs.payload->>'seq')::bigint < (excluded.payload->>'seq')::bigint
        RETURNING 0
        """;
}

/// <summary>
/// Reads <c>messages.outgoing</c> in a group of its own: a new message schedules its offline members' notifications,
/// a read marks the member's message notification of the conversation read. Records come in batches (what the consumer
/// already fetched): one presence read and one statement per batch, not per message. The offsets are stored after the
/// jobs are written, so a crash loses none; a redelivered record changes nothing (the job's key).
/// </summary>
public sealed class ChatNotificationHandler(ChatNotifications notifications) : IKafkaBatchHandler
{
    /// <summary>The most records one call takes.</summary>
    public const int BatchSize = 500;

    /// <summary>
    /// How long a batch waits for more records after its first: a push waits <see cref="NotificationOptions.ChatPushDelay"/>
    /// anyway, and a presence read and a consumer turn per batch instead of per message take most of this consumer's
    /// cost off a busy chat (bench/results/compare.md, ninth session).
    /// </summary>
    public static readonly TimeSpan BatchWait = TimeSpan.FromMilliseconds(500);

    public async Task HandleBatchAsync(IReadOnlyList<KafkaRecord> records, CancellationToken cancellationToken)
    {
        var created = new List<MessageCreated>(records.Count);
        foreach (var record in records)
        {
            // Other records on messages.outgoing (edits, reactions) notify no one.
            if (record.Envelope.Type == MessageCreated.RecordType)
                created.Add(record.Envelope.Deserialize<MessageCreated>());
            else if (record.Envelope.Type == MessageRead.RecordType)
                await notifications.ReadAsync(record.Envelope.Deserialize<MessageRead>(), cancellationToken);
        }
        await notifications.ScheduleAsync(created, cancellationToken);
    }

    public Task HandleAsync(KafkaRecord record, CancellationToken cancellationToken) =>
        HandleBatchAsync([record], cancellationToken);
}
