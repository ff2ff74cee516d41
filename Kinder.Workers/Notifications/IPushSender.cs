using Kinder.Core.Chat;

namespace Kinder.Workers.Notifications;

/// <summary>Hands a push to the user's devices: <c>Push.DevicePushSender</c> (FCM and APNs).</summary>
public interface IPushSender
{
    /// <param name="pushId">The envelope id: the same push delivered twice carries the same id.</param>
    Task SendAsync(PushRequested push, Guid pushId, CancellationToken cancellationToken);
}
