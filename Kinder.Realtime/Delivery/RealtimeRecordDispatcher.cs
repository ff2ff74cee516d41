using Kinder.Core.Chat;
using Kinder.Core.Diagnostics;
using Kinder.Core.Events;
using Kinder.Messaging;
using Kinder.Realtime.Diagnostics;

namespace Kinder.Realtime.Delivery;

/// <summary>
/// Realtime's one consumer group reads several topics; this hands each record to the handler for its record type
/// (<see cref="Handlers"/>). One group with one subscription keeps rebalances simple when instances come and go.
/// </summary>
/// <remarks>
/// Delivery costs a backplane round trip per record, not CPU, so taken one by one the records of many busy
/// conversations queue behind each other. A batch (what is already fetched) is split by topic and key — one
/// conversation, one event — and the groups run side by side, each in its own scope and in its own order: records of
/// one conversation stay in seq order, different conversations no longer wait for each other. If any group fails the
/// host replays the batch one record at a time (retries, dead letters); what was already sent is sent again, which
/// clients absorb (they replace by id).
/// </remarks>
public sealed class RealtimeRecordDispatcher(IServiceProvider services, IServiceScopeFactory scopes,
    [FromKeyedServices(RealtimeRecordDispatcher.HandlersKey)] RecordHandlers handlers) : IKafkaBatchHandler
{
    public const string HandlersKey = "realtime";

    public static readonly string[] Topics = [Messaging.Topics.MessagesOutgoing, Messaging.Topics.EventChanges, Messaging.Topics.SystemProbes];

    /// <summary>Which handler delivers which record type.</summary>
    public static void Handlers(RecordHandlers handlers) => handlers
        .Add<MessageCreated, OutgoingMessagesIntegrationEventHandler>()
        .Add<MessageUpdated, OutgoingMessagesIntegrationEventHandler>()
        .Add<ReactionsChanged, OutgoingMessagesIntegrationEventHandler>()
        .Add<MessageRead, OutgoingMessagesIntegrationEventHandler>()
        .Add<ConversationMembersChanged, OutgoingMessagesIntegrationEventHandler>()
        .Add<EventRescheduledIntegrationEvent, EventUpdatesIntegrationEventHandler>()
        .Add<EventRelocatedIntegrationEvent, EventUpdatesIntegrationEventHandler>()
        .Add<EventCancelledIntegrationEvent, EventUpdatesIntegrationEventHandler>()
        .Add<ProbeRecordedIntegrationEvent, ProbeRecordedIntegrationEventHandler>();

    /// <summary>Records taken per batch: enough to keep a few hundred conversations moving at once.</summary>
    public const int BatchSize = 256;

    public Task HandleAsync(KafkaRecord record, CancellationToken cancellationToken) =>
        handlers.DispatchAsync(services, record, cancellationToken);

    public Task HandleBatchAsync(IReadOnlyList<KafkaRecord> records, CancellationToken cancellationToken) =>
        Task.WhenAll(records
            .GroupBy(record => (record.Topic, record.Key))
            .Select(group => DeliverInOrderAsync(group, cancellationToken)));

    private async Task DeliverInOrderAsync(IEnumerable<KafkaRecord> records, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        foreach (var record in records)
            await handlers.DispatchAsync(scope.ServiceProvider, record, cancellationToken);
    }
}
