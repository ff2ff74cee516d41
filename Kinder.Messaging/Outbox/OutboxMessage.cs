using System.Diagnostics;
using System.Text.Json;

namespace Kinder.Messaging.Outbox;

/// <summary>
/// A domain event waiting to be published to Kafka. Written in the same transaction as the change it
/// describes, so the event exists if and only if the change committed; Workers relay it.
/// </summary>
public sealed class OutboxMessage
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    /// <summary>Insertion order, assigned by the database: the order the relay publishes in. (Version 7 ids are only
    /// ordered to the millisecond.)</summary>
    public long Sequence { get; init; }
    public required string Topic { get; init; }
    public required string Key { get; init; }
    public required string Type { get; init; }
    public required string Payload { get; init; }
    public string? TraceParent { get; init; }
    public string? TraceState { get; init; }
    public DateTimeOffset OccurredAt { get; init; } = DateTimeOffset.UtcNow;
    public DateTimeOffset? PublishedAt { get; set; }
    public int Attempts { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset? NextAttemptAt { get; set; }

    /// <summary>A row for <paramref name="record"/>, named by its record type and carrying the caller's trace
    /// context, so the trace continues where the relay publishes it.</summary>
    public static OutboxMessage For<T>(string topic, string key, T record) where T : IRecord
    {
        var activity = Activity.Current;
        return new OutboxMessage
        {
            Topic = topic,
            Key = key,
            Type = T.RecordType,
            Payload = JsonSerializer.Serialize(record, KafkaEnvelope.JsonOptions),
            TraceParent = activity?.IdFormat == ActivityIdFormat.W3C ? activity.Id : null,
            TraceState = activity?.TraceStateString,
        };
    }
}
