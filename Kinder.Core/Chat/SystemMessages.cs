using Kinder.Messaging;

namespace Kinder.Core.Chat;

/// <summary>
/// Messages Kinder writes itself (joins, leaves, event changes): <see cref="MessageType.System"/>, no sender, and a
/// client message id derived from what happened, so producing the same change twice (a retry, a redelivery) names the
/// same message and the processor persists it once. The one way any host submits one.
/// </summary>
public static class SystemMessages
{
    public static MessageSubmitted Create(Guid conversationId, string clientMessageId, string body, Guid? eventId,
        DateTimeOffset at)
    {
        var id = clientMessageId.Length <= Message.MaxClientMessageIdLength
            ? clientMessageId
            : clientMessageId[..Message.MaxClientMessageIdLength];
        return new MessageSubmitted(MessageIds.For(conversationId, null, id), conversationId, null, id,
            MessageType.System, body.Length <= Message.MaxBodyLength ? body : body[..Message.MaxBodyLength], [],
            eventId, at);
    }

    /// <summary>Puts the message on <c>messages.incoming</c> keyed by the conversation, like a member's send.</summary>
    public static Task SubmitAsync(this IKafkaProducer producer, MessageSubmitted message,
        CancellationToken cancellationToken) =>
        producer.ProduceAsync(Topics.MessagesIncoming, message.ConversationId.ToString(),
            KafkaEnvelope.Create(message), cancellationToken);

    /// <summary>A deterministic id for a membership change: who, what, and the row's own time of it.</summary>
    public static string MembershipId(string change, Guid userId, DateTimeOffset at) =>
        $"{change}:{userId:N}:{at.UtcTicks}";
}
