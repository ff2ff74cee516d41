namespace Kinder.Messaging;

/// <summary>Publishes Kinder envelopes. One idempotent producer per process (a singleton).</summary>
public interface IKafkaProducer
{
    /// <summary>Publishes and waits for the broker's acknowledgement (<c>acks=all</c>).</summary>
    /// <param name="key">Records with the same key go to the same partition, in order (e.g. a conversation id).</param>
    /// <exception cref="Confluent.Kafka.ProduceException{TKey, TValue}">The record was not delivered.</exception>
    Task ProduceAsync(string topic, string key, KafkaEnvelope envelope, CancellationToken cancellationToken = default);
}
