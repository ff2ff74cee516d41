using Kinder.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Core.Notifications;

/// <summary>
/// Work due at a time (a held push, a chat notification after its delay, an event reminder, a digest): a row, so it survives restarts; Workers take
/// due rows with <c>FOR UPDATE SKIP LOCKED</c> and delete each in the transaction that does its work, so it runs once
/// across replicas. <see cref="Key"/> is unique: scheduling the same thing twice changes the one row.
/// </summary>
public sealed class ScheduledJob
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required string Kind { get; init; }
    public required string Key { get; init; }
    public required DateTimeOffset DueAt { get; set; }
    public required string Payload { get; set; }
    public int Attempts { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>Planning a job by its key, in the caller's transaction.</summary>
public static class ScheduledJobPlans
{
    /// <summary>
    /// Inserts the job, or moves the one with its key to <paramref name="dueAt"/>. With
    /// <paramref name="keepPayload"/> a planned job keeps its payload and attempts (only its time moves); otherwise it
    /// starts afresh with <paramref name="payload"/>.
    /// </summary>
    public static Task<int> UpsertAsync(KinderDbContext db, string kind, string key, DateTimeOffset dueAt, string payload,
        DateTimeOffset now, bool keepPayload, CancellationToken cancellationToken) => keepPayload
        ? db.Database.ExecuteSqlAsync($"""
            INSERT INTO scheduled_jobs (id, kind, key, due_at, payload, attempts, created_at)
            VALUES ({Guid.CreateVersion7(now)}, {kind}, {key}, {dueAt}, {payload}::jsonb, 0, {now})
            ON CONFLICT (key) DO UPDATE SET due_at = excluded.due_at
            """, cancellationToken)
        : db.Database.ExecuteSqlAsync($"""
            INSERT INTO scheduled_jobs (id, kind, key, due_at, payload, attempts, created_at)
            VALUES ({Guid.CreateVersion7(now)}, {kind}, {key}, {dueAt}, {payload}::jsonb, 0, {now})
            ON CONFLICT (key) DO UPDATE SET due_at = excluded.due_at, payload = excluded.payload, attempts = 0, last_error = NULL
            """, cancellationToken);
}

/// <summary>The kinds of <see cref="ScheduledJob"/>.</summary>
public static class ScheduledJobKinds
{
    /// <summary>A chat message's notification for one member, due after the chat delay (<see cref="ChatNotificationDue"/>).</summary>
    public const string ChatNotification = "chat-notification";

    /// <summary>A push held by quiet hours (<see cref="Chat.PushRequested"/>).</summary>
    public const string HeldPush = "held-push";

    /// <summary>An event's reminder to everyone going (<see cref="EventReminderDue"/>, <see cref="EventReminders"/>).</summary>
    public const string EventReminder = "event-reminder";

    /// <summary>A user's digest mail of unread notifications, which plans its next one (<see cref="DigestDue"/>).</summary>
    public const string Digest = "digest";
}

/// <summary>Payload of <see cref="ScheduledJobKinds.ChatNotification"/>: the newest message the member has not read.</summary>
public sealed record ChatNotificationDue(Guid UserId, Guid ConversationId, Guid MessageId, long Seq);
