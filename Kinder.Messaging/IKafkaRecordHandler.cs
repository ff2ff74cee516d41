namespace Kinder.Messaging;

/// <summary>
/// Handles records of a consumer group (registered with <c>AddKafkaConsumer</c>). Resolved from a fresh DI scope for
/// every attempt. Delivery is at-least-once: a handler must be idempotent (the envelope id is the natural key).
/// Throwing retries the record with backoff, then dead-letters it; returning acknowledges it.
/// </summary>
public interface IKafkaRecordHandler
{
    Task HandleAsync(KafkaRecord record, CancellationToken cancellationToken);
}
