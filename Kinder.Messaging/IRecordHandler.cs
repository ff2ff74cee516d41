namespace Kinder.Messaging;

/// <summary>
/// Handles one record type for a consumer group (registered with <see cref="RecordHandlers.Add{TRecord, THandler}"/>).
/// Resolved from the attempt's DI scope; at-least-once, so idempotent (the envelope id is the natural key). Throwing
/// retries the record, then dead-letters it; returning acknowledges it.
/// </summary>
public interface IRecordHandler<in TRecord> where TRecord : IRecord
{
    /// <param name="source">The consumed record the payload came from: topic, key, envelope id and time.</param>
    Task HandleAsync(TRecord record, KafkaRecord source, CancellationToken cancellationToken);
}
