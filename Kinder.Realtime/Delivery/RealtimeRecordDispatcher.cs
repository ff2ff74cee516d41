using Kinder.Messaging;
using Kinder.Realtime.Diagnostics;

namespace Kinder.Realtime.Delivery;

/// <summary>
/// Realtime's one consumer group reads several topics; this hands each record to the handler for its topic. One group
/// with one subscription keeps rebalances simple when instances come and go.
/// </summary>
/// <remarks>
/// Delivery costs a backplane round trip per record, not CPU, so taken one by one the records of many busy
/// conversations queue behind each other. A batch (what is already fetched) is split by topic and key — one
/// conversation, one event — and the groups run side by side, each in its own scope and in its own order: records of
/// one conversation stay in seq order, different conversations no longer wait for each other. If any group fails the
/// host replays the batch one record at a time (retries, dead letters); what was already sent is sent again, which
/// clients absorb (they replace by id).
/// </remarks>
public sealed class RealtimeRecordDispatcher(IServiceProvider services, IServiceScopeFactory scopes) : IKafkaBatchHandler
{
    public static readonly string[] Topics = [Messaging.Topics.MessagesOutgoing, Messaging.Topics.Events, Messaging.Topics.SystemProbes];

    /// <summary>Records taken per batch: enough to keep a few hundred conversations moving at once.</summary>
    public const int BatchSize = 256;

    public Task HandleAsync(KafkaRecord record, CancellationToken cancellationToken) =>
        Dispatch(services, record, cancellationToken);

    public Task HandleBatchAsync(IReadOnlyList<KafkaRecord> records, CancellationToken cancellationToken) =>
        Task.WhenAll(records
            .GroupBy(record => (record.Topic, record.Key))
            .Select(group => DeliverInOrderAsync(group, cancellationToken)));

    private async Task DeliverInOrderAsync(IEnumerable<KafkaRecord> records, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        foreach (var record in records)
            await Dispatch(scope.ServiceProvider, record, cancellationToken);
    }

    private static Task Dispatch(IServiceProvider provider, KafkaRecord record, CancellationToken cancellationToken) => record.Topic switch
    {
        Messaging.Topics.MessagesOutgoing => provider.GetRequiredService<OutgoingMessagesIntegrationEventHandler>().HandleAsync(record, cancellationToken),
        Messaging.Topics.Events => provider.GetRequiredService<EventUpdatesIntegrationEventHandler>().HandleAsync(record, cancellationToken),
        Messaging.Topics.SystemProbes => provider.GetRequiredService<ProbeRecordedIntegrationEventHandler>().HandleAsync(record, cancellationToken),
        _ => Task.CompletedTask,
    };
}
