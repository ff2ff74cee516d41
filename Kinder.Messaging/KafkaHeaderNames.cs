namespace Kinder.Messaging;

/// <summary>Header names every Kinder record carries, and the ones a dead-lettered record gains.</summary>
public static class KafkaHeaderNames
{
    public const string MessageId = "message-id";
    public const string MessageType = "message-type";
    public const string OccurredAt = "occurred-at";

    // W3C trace context, so one trace spans Api → Kafka → Workers → Realtime.
    public const string TraceParent = "traceparent";
    public const string TraceState = "tracestate";

    public const string DeadLetterPrefix = "dlq-";
    public const string DeadLetterError = "dlq-error";
    public const string DeadLetterErrorType = "dlq-error-type";
    public const string DeadLetterOriginalTopic = "dlq-original-topic";
    public const string DeadLetterOriginalPartition = "dlq-original-partition";
    public const string DeadLetterOriginalOffset = "dlq-original-offset";
    public const string DeadLetterAttempts = "dlq-attempts";
    public const string DeadLetterConsumerGroup = "dlq-consumer-group";
}
