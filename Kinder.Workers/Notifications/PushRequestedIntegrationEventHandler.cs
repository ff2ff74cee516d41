using Kinder.Core.Chat;
using Kinder.Messaging;

namespace Kinder.Workers.Notifications;

/// <summary>
/// Consumes <c>notifications.push</c>: Realtime's requests to nudge users offline on every device
/// (decision 0010). A failing send is retried, then dead-lettered, like every handler.
/// </summary>
public sealed class PushRequestedIntegrationEventHandler(IPushSender sender) : IRecordHandler<PushRequested>
{
    public Task HandleAsync(PushRequested push, KafkaRecord source, CancellationToken cancellationToken) =>
        sender.SendAsync(push, source.Envelope.Id, cancellationToken);
}
