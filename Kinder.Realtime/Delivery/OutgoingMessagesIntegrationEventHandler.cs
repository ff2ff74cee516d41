using Kinder.Core.Chat;
using Kinder.Messaging;
using Kinder.Realtime.Chat;
using Kinder.Realtime.Hubs;

namespace Kinder.Realtime.Delivery;

/// <summary>What clients receive as <c>reaction:changed</c>.</summary>
public sealed record ReactionChangedNotification(Guid ConversationId, Guid MessageId, IReadOnlyDictionary<string, int> Reactions);

/// <summary>What clients receive as <c>message:read</c>.</summary>
public sealed record MessageReadNotification(Guid ConversationId, Guid UserId, long Seq);

/// <summary>
/// The last hop of the chat path: records on <c>messages.outgoing</c> become server events for the recipients'
/// connections this instance holds (every instance reads every record). Redelivery sends an event twice; clients
/// replace by id. Pushes for offline recipients are Workers' (<c>ChatNotificationHandler</c>), from the same records.
/// </summary>
public sealed class OutgoingMessagesIntegrationEventHandler(
    LocalRecipients recipients,
    ChatAudience audience,
    AnnouncedMessages announced) :
    IRecordHandler<MessageCreated>,
    IRecordHandler<MessageUpdated>,
    IRecordHandler<ReactionsChanged>,
    IRecordHandler<MessageRead>,
    IRecordHandler<ConversationMembersChanged>
{
    public Task HandleAsync(MessageCreated created, KafkaRecord source, CancellationToken cancellationToken)
    {
        // A conversation's records are handled one at a time, in order: a repeat sees the first one's mark.
        if (announced.WereAnnounced(created.Message.Id))
            return Task.CompletedTask;
        Send(created.RecipientIds, ServerEvents.MessageNew, created.Message);
        announced.Mark(created.Message.Id);
        return Task.CompletedTask;
    }

    public Task HandleAsync(MessageUpdated updated, KafkaRecord source, CancellationToken cancellationToken) =>
        Send(updated.RecipientIds, ServerEvents.MessageNew, updated.Message);

    public Task HandleAsync(ReactionsChanged reactions, KafkaRecord source, CancellationToken cancellationToken) =>
        Send(reactions.RecipientIds, ServerEvents.ReactionChanged,
            new ReactionChangedNotification(reactions.ConversationId, reactions.MessageId, reactions.Reactions));

    public Task HandleAsync(MessageRead read, KafkaRecord source, CancellationToken cancellationToken) =>
        Send(read.RecipientIds, ServerEvents.MessageRead,
            new MessageReadNotification(read.ConversationId, read.UserId, read.Seq));

    public Task HandleAsync(ConversationMembersChanged changed, KafkaRecord source, CancellationToken cancellationToken)
    {
        audience.Forget(changed);
        return Task.CompletedTask;
    }

    // Writes to local connections are not awaited (LocalRecipients): nothing here waits or can be cancelled.
    private Task Send(IReadOnlyList<Guid> recipientIds, string serverEvent, object payload)
    {
        recipients.Send(recipientIds, serverEvent, payload);
        return Task.CompletedTask;
    }
}
