using Kinder.Core.Payments;
using Kinder.Messaging;

namespace Kinder.Workers.Payments;

/// <summary>Asks Stripe for a refund Kinder decided on (<see cref="StripeRefunds"/>: idempotent, outside any transaction).</summary>
public sealed class RefundRequestedIntegrationEventHandler(StripeRefunds refunds) : IRecordHandler<RefundRequestedIntegrationEvent>
{
    public Task HandleAsync(RefundRequestedIntegrationEvent requested, KafkaRecord source, CancellationToken cancellationToken) =>
        refunds.SendAsync(requested.PaymentId, cancellationToken);
}
