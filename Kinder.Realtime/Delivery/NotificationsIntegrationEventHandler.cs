using Kinder.Core.Notifications;
using Kinder.Messaging;
using Kinder.Realtime.Hubs;

namespace Kinder.Realtime.Delivery;

/// <summary>What clients receive as <c>notification:new</c>: the stored notification and the user's unread count.</summary>
public sealed record NotificationNew(NotificationView Notification, int UnreadCount);

/// <summary>A notification was stored (<c>notifications.created</c>): its user's connections here hear of it.</summary>
public sealed class NotificationsIntegrationEventHandler(LocalRecipients recipients) : IRecordHandler<NotificationCreated>
{
    public Task HandleAsync(NotificationCreated created, KafkaRecord source, CancellationToken cancellationToken)
    {
        recipients.Send([created.UserId], ServerEvents.NotificationNew, new NotificationNew(created.Notification, created.UnreadCount));
        return Task.CompletedTask;
    }
}
