namespace Kinder.Messaging;

/// <summary>
/// A handler that can take several records at once (registered with <c>AddKafkaBatchConsumer</c>), for consumers whose
/// cost is per round trip rather than per record. The host hands it what is already fetched (up to the batch size, in
/// each partition's order) in one call; if that call throws, the host falls back to one record at a time through
/// <see cref="IKafkaRecordHandler.HandleAsync"/> with the usual retries and dead-lettering, so one bad record never
/// holds up or sinks the others. A batch is acknowledged only when the call returns. Idempotent, like every handler.
/// </summary>
public interface IKafkaBatchHandler : IKafkaRecordHandler
{
    Task HandleBatchAsync(IReadOnlyList<KafkaRecord> records, CancellationToken cancellationToken);
}
