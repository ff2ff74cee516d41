using Kinder.Core.Chat;
using Kinder.Messaging;
using Kinder.Realtime.Chat;
using Kinder.Realtime.Hubs;
using Microsoft.AspNetCore.SignalR;

namespace Kinder.Realtime.Delivery;

/// <summary>What clients receive as <c>reaction:changed</c>.</summary>
public sealed record ReactionChangedNotification(Guid ConversationId, Guid MessageId, IReadOnlyDictionary<string, int> Reactions);

/// <summary>What clients receive as <c>message:read</c>.</summary>
public sealed record MessageReadNotification(Guid ConversationId, Guid UserId, long Seq);

/// <summary>
/// The last hop of the chat path: records on <c>messages.outgoing</c> become server events for the recipients'
/// connections on every instance (the Redis backplane). Redelivery sends an event twice; clients replace by id.
/// </summary>
public sealed class OutgoingMessagesIntegrationEventHandler(
    IHubContext<ChatHub> hub,
    PushQueue pushes,
    ChatAudience audience,
    ILogger<OutgoingMessagesIntegrationEventHandler> logger) : IKafkaRecordHandler
{
    public async Task HandleAsync(KafkaRecord record, CancellationToken cancellationToken)
    {
        switch (record.Envelope.Type)
        {
            case ChatRecordTypes.MessageCreated:
                var created = record.Envelope.Deserialize<MessageCreated>();
                await SendAsync(created.RecipientIds, ServerEvents.MessageNew, created.Message, cancellationToken);
                // Off the delivery path: offline members must not slow message:new for the records behind this one.
                await pushes.EnqueueAsync(created, cancellationToken);
                break;
            case ChatRecordTypes.MessageUpdated:
                var updated = record.Envelope.Deserialize<MessageUpdated>();
                await SendAsync(updated.RecipientIds, ServerEvents.MessageNew, updated.Message, cancellationToken);
                break;
            case ChatRecordTypes.ReactionsChanged:
                var reactions = record.Envelope.Deserialize<ReactionsChanged>();
                await SendAsync(reactions.RecipientIds, ServerEvents.ReactionChanged,
                    new ReactionChangedNotification(reactions.ConversationId, reactions.MessageId, reactions.Reactions), cancellationToken);
                break;
            case ChatRecordTypes.MessageRead:
                var read = record.Envelope.Deserialize<MessageRead>();
                await SendAsync(read.RecipientIds, ServerEvents.MessageRead,
                    new MessageReadNotification(read.ConversationId, read.UserId, read.Seq), cancellationToken);
                break;
            case ChatRecordTypes.ConversationMembersChanged:
                await audience.ForgetEverywhereAsync(record.Envelope.Deserialize<ConversationMembersChanged>());
                break;
            default:
                logger.LogDebug("Ignored a {Type} record on {Topic}", record.Envelope.Type, record.Topic);
                break;
        }
    }

    private Task SendAsync(IReadOnlyList<Guid> recipientIds, string serverEvent, object payload, CancellationToken cancellationToken) =>
        recipientIds.Count == 0
            ? Task.CompletedTask
            : hub.Clients.Users(UserIds.ToStrings(recipientIds)).SendAsync(serverEvent, payload, cancellationToken);
}
