using Kinder.Core.Payments;
using Kinder.Messaging;

namespace Kinder.Workers.Payments;

/// <summary>
/// Handles a stored Stripe webhook event (<see cref="StripeEventProcessor"/>: once, whatever the redelivery).
/// </summary>
public sealed class StripeEventReceivedIntegrationEventHandler(StripeEventProcessor processor)
    : IRecordHandler<StripeEventReceivedIntegrationEvent>
{
    public Task HandleAsync(StripeEventReceivedIntegrationEvent received, KafkaRecord source,
        CancellationToken cancellationToken) =>
        processor.ProcessAsync(received.StripeEventId, cancellationToken);
}
