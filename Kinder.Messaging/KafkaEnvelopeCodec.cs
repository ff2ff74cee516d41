using System.Globalization;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;

namespace Kinder.Messaging;

/// <summary>Maps an envelope to and from a record's headers and value.</summary>
internal static class KafkaEnvelopeCodec
{
    public static Headers ToHeaders(KafkaEnvelope envelope, string? traceParent, string? traceState)
    {
        var headers = new Headers
        {
            { KafkaHeaderNames.MessageId, Encode(envelope.Id.ToString()) },
            { KafkaHeaderNames.MessageType, Encode(envelope.Type) },
            { KafkaHeaderNames.OccurredAt, Encode(envelope.OccurredAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)) },
        };
        SetTraceContext(headers, traceParent, traceState);
        return headers;
    }

    public static void SetTraceContext(Headers headers, string? traceParent, string? traceState)
    {
        headers.Remove(KafkaHeaderNames.TraceParent);
        headers.Remove(KafkaHeaderNames.TraceState);
        if (traceParent is null) return;
        headers.Add(KafkaHeaderNames.TraceParent, Encode(traceParent));
        if (!string.IsNullOrEmpty(traceState))
            headers.Add(KafkaHeaderNames.TraceState, Encode(traceState));
    }

    /// <exception cref="MalformedEnvelopeException">The record is not a Kinder envelope.</exception>
    public static KafkaEnvelope FromRecord(Headers? headers, byte[]? value)
    {
        var id = Guid.TryParse(Required(headers, KafkaHeaderNames.MessageId), out var parsedId)
            ? parsedId
            : throw new MalformedEnvelopeException($"Header '{KafkaHeaderNames.MessageId}' is not a GUID.");
        var type = Required(headers, KafkaHeaderNames.MessageType);
        var occurredAt = DateTimeOffset.TryParse(
            Required(headers, KafkaHeaderNames.OccurredAt), CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsedTime)
            ? parsedTime
            : throw new MalformedEnvelopeException($"Header '{KafkaHeaderNames.OccurredAt}' is not an ISO-8601 time.");

        if (value is null || value.Length == 0)
            throw new MalformedEnvelopeException("The record has no value.");
        EnsureJson(value);

        return new KafkaEnvelope(id, type, occurredAt, value,
            Optional(headers, KafkaHeaderNames.TraceParent), Optional(headers, KafkaHeaderNames.TraceState));
    }

    public static string? Optional(Headers? headers, string name) =>
        headers is not null && headers.TryGetLastBytes(name, out var bytes) && bytes is not null
            ? Encoding.UTF8.GetString(bytes)
            : null;

    public static byte[] Encode(string value) => Encoding.UTF8.GetBytes(value);

    private static string Required(Headers? headers, string name) =>
        Optional(headers, name) is { Length: > 0 } value
            ? value
            : throw new MalformedEnvelopeException($"Header '{name}' is missing.");

    // Handlers deserialize later; checking here sends a non-JSON value to the DLQ instead of through N retries.
    private static void EnsureJson(byte[] value)
    {
        try
        {
            var reader = new Utf8JsonReader(value);
            while (reader.Read()) { }
        }
        catch (JsonException exception)
        {
            throw new MalformedEnvelopeException($"The record's value is not JSON: {exception.Message}", exception);
        }
    }
}
