namespace Kinder.Core.Notifications;

/// <summary>Section <c>Notifications</c> (like <c>Notifications:OfflinePushConsumerGroup</c>).</summary>
public sealed class NotificationOptions
{
    public const string SectionName = "Notifications";

    /// <summary>How long a chat message may stay unread, its member offline everywhere, before it is notified and pushed.</summary>
    public TimeSpan ChatPushDelay { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often Workers look for due scheduled jobs.</summary>
    public TimeSpan SchedulerPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    public bool IsValid => ChatPushDelay >= TimeSpan.Zero && SchedulerPollInterval > TimeSpan.Zero;
}
