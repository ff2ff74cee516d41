using System.Diagnostics;
using System.Text.Json;

namespace Kinder.Messaging;

/// <summary>
/// One Kinder record: the JSON payload plus the id, type, time and trace context carried as headers.
/// </summary>
/// <param name="TraceParent">The trace the record belongs to, captured when it was created, so a record published
/// later (by the outbox relay) still continues the request that wrote it.</param>
public sealed record KafkaEnvelope(
    Guid Id,
    string Type,
    DateTimeOffset OccurredAt,
    byte[] Payload,
    string? TraceParent = null,
    string? TraceState = null)
{
    /// <summary>camelCase, case-insensitive reading: System.Text.Json's web defaults, as the HTTP API uses.</summary>
    public static JsonSerializerOptions JsonOptions => JsonSerializerOptions.Web;

    /// <summary>An envelope for a record type, named by its <see cref="IRecord.RecordType"/>.</summary>
    public static KafkaEnvelope Create<T>(T payload) where T : IRecord => Create(T.RecordType, payload);

    public static KafkaEnvelope Create<T>(string type, T payload)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(type);
        var current = Activity.Current;
        var traced = current is { IdFormat: ActivityIdFormat.W3C };
        return new KafkaEnvelope(
            Guid.CreateVersion7(),
            type,
            DateTimeOffset.UtcNow,
            JsonSerializer.SerializeToUtf8Bytes(payload, JsonOptions),
            traced ? current!.Id : null,
            traced ? current!.TraceStateString : null);
    }

    public T Deserialize<T>() =>
        JsonSerializer.Deserialize<T>(Payload, JsonOptions)
        ?? throw new JsonException($"Record {Id} of type '{Type}' has a null payload.");
}
