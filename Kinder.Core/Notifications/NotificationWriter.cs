using System.Text.Json;
using Kinder.Core.Chat;
using Kinder.Core.Data;
using Kinder.Core.Email;
using Kinder.Core.Outbox;
using Kinder.Core.Profiles;
using Kinder.Messaging;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace Kinder.Core.Notifications;

/// <summary>What happened, told the same way to every recipient. <see cref="CauseKey"/> names the cause uniquely (a
/// domain record's envelope id, a message id): the same cause notifies a user once.</summary>
public sealed record NotificationCause(string Type, string CauseKey, string Title, string Body, NotificationData Data,
    string? CollapseKey = null, long? Seq = null);

/// <summary>
/// The one way a notification is made: "notify these recipients of this cause" becomes one row per recipient
/// (<c>INSERT … ON CONFLICT DO NOTHING</c>: redelivery and collapsed chat notifications write nothing) and, in the
/// same transaction, the outbox records of the channels the recipient's settings allow: <see cref="NotificationCreated"/>
/// for their connections, <see cref="PushRequested"/> (held by a <see cref="ScheduledJob"/> while quiet hours last) and
/// an email. Recipients go in batches of <see cref="BatchSize"/>, each its own transaction unless the caller has one.
/// </summary>
public sealed class NotificationWriter(KinderDbContext db, TimeProvider time)
{
    public const int BatchSize = 1000;

    /// <summary>Returns how many notifications were stored (recipients already notified of the cause are not counted).</summary>
    public async Task<int> WriteAsync(NotificationCause cause, IEnumerable<Guid> recipientIds, CancellationToken cancellationToken)
    {
        var written = 0;
        foreach (var batch in recipientIds.Distinct().Chunk(BatchSize))
        {
            written += db.Database.CurrentTransaction is null
                ? await db.InTransactionAsync(token => WriteBatchAsync(cause, batch, token), cancellationToken)
                : await WriteBatchAsync(cause, batch, cancellationToken);
        }
        return written;
    }

    private async Task<int> WriteBatchAsync(NotificationCause cause, Guid[] recipientIds, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var recipients = await db.ReadRawAsync(RecipientsSql, [new NpgsqlParameter<Guid[]>("ids", recipientIds)],
            reader => new Recipient(reader.GetGuid(0), reader.GetString(1), reader.GetString(2),
                new NotificationSettings
                {
                    UserId = reader.GetGuid(0),
                    Types = reader.IsDBNull(3) ? "{}" : reader.GetString(3),
                    QuietStart = reader.IsDBNull(4) ? null : reader.GetFieldValue<TimeOnly>(4),
                    QuietEnd = reader.IsDBNull(5) ? null : reader.GetFieldValue<TimeOnly>(5),
                    TimeZone = reader.IsDBNull(6) ? null : reader.GetString(6),
                }), cancellationToken);
        var wanted = recipients
            .Select(recipient => (recipient, channels: recipient.Settings.ChannelsFor(cause.Type)))
            .Where(item => item.channels.InApp || item.channels.Push || item.channels.Email)
            .ToDictionary(item => item.recipient.Id);
        if (wanted.Count == 0)
            return 0;

        var ids = wanted.Keys.Select(_ => Guid.CreateVersion7(now)).ToArray();
        var users = wanted.Keys.ToArray();
        var inApp = users.Select(user => wanted[user].channels.InApp).ToArray();
        var title = Truncate(cause.Title, Notification.MaxTitleLength);
        var body = Truncate(cause.Body, Notification.MaxBodyLength);
        var inserted = await db.ReadRawAsync(InsertSql,
        [
            new NpgsqlParameter<Guid[]>("ids", ids), new NpgsqlParameter<Guid[]>("users", users),
            new NpgsqlParameter<bool[]>("in_app", inApp), new NpgsqlParameter<string>("type", cause.Type),
            new NpgsqlParameter<string>("cause", cause.CauseKey), new NpgsqlParameter<string>("title", title),
            new NpgsqlParameter<string>("body", body), new NpgsqlParameter<string>("data", cause.Data.ToJson()),
            new NpgsqlParameter("collapse", NpgsqlDbType.Varchar) { Value = (object?)cause.CollapseKey ?? DBNull.Value },
            new NpgsqlParameter<DateTimeOffset>("now", now),
        ], reader => (Id: reader.GetGuid(0), UserId: reader.GetGuid(1)), cancellationToken);
        if (inserted.Count == 0)
            return 0;

        var unread = (await db.ReadRawAsync(UnreadSql,
                [new NpgsqlParameter<Guid[]>("users", inserted.Select(row => row.UserId).ToArray())],
                reader => (UserId: reader.GetGuid(0), Count: reader.GetInt32(1)), cancellationToken))
            .ToDictionary(row => row.UserId, row => row.Count);
        var data = cause.Data.ToStrings();
        foreach (var (id, userId) in inserted)
        {
            var (recipient, channels) = wanted[userId];
            var badge = unread.GetValueOrDefault(userId);
            if (channels.InApp)
            {
                db.AddIntegrationEvent(Topics.NotificationsCreated, userId.ToString(), new NotificationCreated(userId,
                    new NotificationView(id, cause.Type, title, body, cause.Data, null, now), badge));
            }
            if (channels.Push)
            {
                var push = new PushRequested(userId, cause.Type, title, body, cause.Data.ConversationId, cause.Data.MessageId,
                    cause.Seq, now, id, data, badge, cause.CollapseKey ?? id.ToString());
                var pushableAt = recipient.Settings.Quiet()?.PushableAt(now) ?? now;
                if (pushableAt > now)
                {
                    db.Set<ScheduledJob>().Add(new ScheduledJob
                    {
                        Kind = ScheduledJobKinds.HeldPush, Key = $"push:{id}", DueAt = pushableAt, CreatedAt = now,
                        Payload = JsonSerializer.Serialize(push, KafkaEnvelope.JsonOptions),
                    });
                }
                else
                {
                    db.AddIntegrationEvent(Topics.NotificationsPush, userId.ToString(), push);
                }
            }
            if (channels.Email)
            {
                db.AddIntegrationEvent(Topics.Email, recipient.Email, new EmailRequestedIntegrationEvent(recipient.Email,
                    EmailTemplates.Notification, new Dictionary<string, string>
                    {
                        ["displayName"] = recipient.DisplayName, ["title"] = title, ["body"] = body,
                    }));
            }
        }
        await db.SaveChangesAsync(cancellationToken);
        return inserted.Count;
    }

    private static string Truncate(string text, int length) =>
        text.Length <= length ? text : string.Concat(text.AsSpan(0, length - 1), "…");

    private sealed record Recipient(Guid Id, string Email, string DisplayName, NotificationSettings Settings);

    private const string RecipientsSql = """
        SELECT u.id, u.email, u.display_name, s.types::text, s.quiet_start, s.quiet_end, s.time_zone
        FROM users u LEFT JOIN notification_settings s ON s.user_id = u.id
        WHERE u.id = ANY(@ids) AND u.deleted_at IS NULL
        """;

    // ON CONFLICT without a target covers both unique indexes: the cause, and the one unread row per collapse key.
    private const string InsertSql = """
        INSERT INTO notifications (id, user_id, type, cause_key, title, body, data, collapse_key, in_app, read_at, created_at)
        SELECT r.id, r.user_id, @type, @cause, @title, @body, @data::jsonb, @collapse, r.in_app,
               CASE WHEN r.in_app THEN NULL ELSE @now END, @now
        FROM unnest(@ids, @users, @in_app) AS r(id, user_id, in_app)
        ON CONFLICT DO NOTHING
        RETURNING id, user_id
        """;

    private const string UnreadSql = """
        SELECT user_id, count(*)::int FROM notifications
        WHERE user_id = ANY(@users) AND read_at IS NULL AND in_app
        GROUP BY user_id
        """;
}
