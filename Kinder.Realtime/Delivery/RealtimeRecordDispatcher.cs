using Kinder.Core.Messaging;
using Kinder.Realtime.Diagnostics;

namespace Kinder.Realtime.Delivery;

/// <summary>
/// Realtime's one consumer group reads several topics; this hands each record to the handler for its topic. One group
/// with one subscription keeps rebalances simple when instances come and go.
/// </summary>
public sealed class RealtimeRecordDispatcher(IServiceProvider services) : IKafkaRecordHandler
{
    public static readonly string[] Topics = [Core.Messaging.Topics.MessagesOutgoing, Core.Messaging.Topics.Events, Core.Messaging.Topics.SystemProbes];

    public Task HandleAsync(KafkaRecord record, CancellationToken cancellationToken) => record.Topic switch
    {
        Core.Messaging.Topics.MessagesOutgoing => services.GetRequiredService<OutgoingMessagesIntegrationEventHandler>().HandleAsync(record, cancellationToken),
        Core.Messaging.Topics.Events => services.GetRequiredService<EventUpdatesIntegrationEventHandler>().HandleAsync(record, cancellationToken),
        Core.Messaging.Topics.SystemProbes => services.GetRequiredService<ProbeRecordedIntegrationEventHandler>().HandleAsync(record, cancellationToken),
        _ => Task.CompletedTask,
    };
}
