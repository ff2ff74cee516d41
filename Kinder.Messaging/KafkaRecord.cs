namespace Kinder.Messaging;

/// <summary>A consumed record, as a handler sees it.</summary>
public sealed record KafkaRecord(string Topic, int Partition, long Offset, string? Key, KafkaEnvelope Envelope);
