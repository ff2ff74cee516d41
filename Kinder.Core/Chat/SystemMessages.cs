using System.Globalization;
using Kinder.Core.Messaging;

namespace Kinder.Core.Chat;

/// <summary>
/// Messages Kinder itself writes into a conversation (type <c>system</c>, no sender): joins, leaves, event changes.
/// They go the way every message goes (<c>messages.incoming</c> → the processor → <c>messages.outgoing</c>), with a
/// deterministic client message id derived from what caused them (e.g. <c>attendance:{envelope id}</c>), so a cause
/// handled twice makes one message.
/// </summary>
public static class SystemMessages
{
    public static MessageSubmitted Create(Guid conversationId, string clientMessageId, string body, Guid? eventId,
        DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clientMessageId);
        ArgumentException.ThrowIfNullOrWhiteSpace(body);
        return new MessageSubmitted(MessageIds.For(conversationId, null, clientMessageId), conversationId, null,
            clientMessageId, MessageType.System, body, [], eventId, now);
    }

    /// <summary>Puts <paramref name="message"/> on <c>messages.incoming</c>, keyed by its conversation.</summary>
    public static Task SubmitAsync(IKafkaProducer producer, MessageSubmitted message, CancellationToken cancellationToken) =>
        producer.ProduceAsync(Topics.MessagesIncoming, message.ConversationId.ToString(),
            KafkaEnvelope.Create(ChatRecordTypes.MessageSubmitted, message), cancellationToken);

    /// <summary>The client message id of a system message caused by the record <paramref name="envelopeId"/>.</summary>
    public static string ClientMessageIdFor(string cause, Guid envelopeId) => $"{cause}:{envelopeId}";

    public static string Joined(string name) => $"{name} joined";

    public static string Left(string name) => $"{name} left";

    /// <summary>"The event moved to Sat 5 Dec 18:00 UTC".</summary>
    public static string Rescheduled(DateTimeOffset startsAt) =>
        $"The event moved to {startsAt.UtcDateTime.ToString("ddd d MMM HH:mm", CultureInfo.InvariantCulture)} UTC";

    /// <summary>"The event moved to Plaça Reial 1, Barcelona".</summary>
    public static string Relocated(string? address, string? city) =>
        (address, city) switch
        {
            ({ Length: > 0 }, { Length: > 0 }) => $"The event moved to {address}, {city}",
            ({ Length: > 0 }, _) => $"The event moved to {address}",
            (_, { Length: > 0 }) => $"The event moved to {city}",
            _ => "The event moved to a new place",
        };

    public const string Cancelled = "The event was cancelled";
}
