namespace Kinder.Core.Notifications;

/// <summary>
/// The notification types (docs/api/README.md, Notifications) and what each sends when the user set nothing: every
/// type in the feed and by push, none by email (a user opts in per type).
/// </summary>
public static class NotificationTypes
{
    public const string Message = "message";
    public const string EventUpdated = "event_updated";
    public const string EventCancelled = "event_cancelled";
    public const string EventReminder = "event_reminder";
    public const string Rsvp = "rsvp";
    public const string WaitlistPromoted = "waitlist_promoted";
    public const string FriendRequest = "friend_request";
    public const string FriendAccepted = "friend_accepted";
    public const string EventInvite = "event_invite";
    public const string Payment = "payment";
    public const string Broadcast = "broadcast";

    public static readonly IReadOnlyList<string> All =
    [
        Message, EventUpdated, EventCancelled, EventReminder, Rsvp, WaitlistPromoted, FriendRequest, FriendAccepted,
        EventInvite, Payment, Broadcast,
    ];

    public static bool IsKnown(string type) => All.Contains(type, StringComparer.Ordinal);

    public static readonly NotificationChannels Default = new(InApp: true, Push: true, Email: false);
}

/// <summary>Where one type of notification goes.</summary>
public sealed record NotificationChannels(bool InApp, bool Push, bool Email);

/// <summary>Digest frequencies: a mail of unread notifications (off by default).</summary>
public static class DigestFrequencies
{
    public const string Off = "off";
    public const string Daily = "daily";
    public const string Weekly = "weekly";

    public static readonly IReadOnlyList<string> All = [Off, Daily, Weekly];
}
