using Kinder.Core.Chat;

namespace Kinder.Workers.Notifications;

/// <summary>Hands a push to a device push service. The notifications issue adds FCM and APNs behind this.</summary>
public interface IPushSender
{
    /// <param name="pushId">The envelope id: the same push delivered twice carries the same id.</param>
    Task SendAsync(PushRequested push, Guid pushId, CancellationToken cancellationToken);
}

/// <summary>The sender while no push service is configured: it says what would have been pushed, and to whom.</summary>
public sealed class LoggedPushSender(ILogger<LoggedPushSender> logger) : IPushSender
{
    public Task SendAsync(PushRequested push, Guid pushId, CancellationToken cancellationToken)
    {
        logger.LogInformation("Push {PushId} ({Kind}) for user {UserId} not sent: no push service is configured",
            pushId, push.Kind, push.UserId);
        return Task.CompletedTask;
    }
}
