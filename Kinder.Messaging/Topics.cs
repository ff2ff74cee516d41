namespace Kinder.Messaging;

/// <summary>The one catalog of Kafka topic names. Names are <c>&lt;area&gt;.&lt;what&gt;</c>.</summary>
public static class Topics
{
    // The chat path (docs/decisions/0006).
    public const string MessagesIncoming = "messages.incoming";
    public const string MessagesOutgoing = "messages.outgoing";
    public const string NotificationsPush = "notifications.push";

    // Notifications: stored ones for the users' connections, and admin broadcasts to fan out.
    public const string NotificationsCreated = "notifications.created";

    // Domain events relayed from the outbox.
    public const string Users = "users.events";
    public const string EventChanges = "events.changes"; // a meetup rescheduled, moved or cancelled
    public const string Attendance = "events.attendance";
    public const string Email = "email.outgoing";
    public const string Media = "media.process";
    public const string SystemProbes = "system.probes";
    public const string Social = "social.events"; // friend requests, accepts and event invites: notification hooks
    public const string Payments = "payments.stripe-events"; // webhook events stored, for Workers to handle
    public const string Moderation = "moderation.events"; // events removed, users sanctioned, admin broadcasts
    public const string PaymentsChanges = "payments.changes"; // premium changed, payments succeeded: notification hooks

    /// <summary>
    /// The chat path's topics, the busiest by far: a deployment gives them more partitions than the rest (one
    /// conversation is one partition, so their count caps how many Workers share the persisting).
    /// </summary>
    public static readonly IReadOnlyList<string> ChatPath = [MessagesIncoming, MessagesOutgoing];

    public const string DeadLetterSuffix = ".dlq";

    public static string DeadLetter(string topic) => topic + DeadLetterSuffix;

    /// <summary>Every topic Kinder uses, so a broker (or the mock cluster) can create them up front.</summary>
    public static readonly IReadOnlyList<string> All =
    [
        MessagesIncoming, MessagesOutgoing, NotificationsPush, NotificationsCreated,
        Users, EventChanges, Attendance, Email, Media, SystemProbes, Social, Payments, PaymentsChanges, Moderation,
    ];
}
