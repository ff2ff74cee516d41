using Kinder.Core.Events;
using Kinder.Core.Payments;
using Kinder.Messaging;

namespace Kinder.Workers.Payments;

/// <summary>A cancelled event's tickets are refunded (<see cref="CancelledEventRefunds"/>: each once).</summary>
public sealed class EventCancelledRefundHandler(CancelledEventRefunds refunds) : IRecordHandler<EventCancelledIntegrationEvent>
{
    public Task HandleAsync(EventCancelledIntegrationEvent cancelled, KafkaRecord source, CancellationToken cancellationToken) =>
        refunds.RefundAsync(cancelled.EventId, cancelled.CancelledBy, cancellationToken);
}
