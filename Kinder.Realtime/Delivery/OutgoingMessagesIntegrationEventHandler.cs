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
/// Pushes for offline recipients are Workers' (<c>MessageCreatedPushHandler</c>), from the same records.
/// </summary>
public sealed class OutgoingMessagesIntegrationEventHandler(
    IHubContext<ChatHub> hub,
    ChatAudience audience,
    AnnouncedMessages announced) :
    IRecordHandler<MessageCreated>,
    IRecordHandler<MessageUpdated>,
    IRecordHandler<ReactionsChanged>,
    IRecordHandler<MessageRead>,
    IRecordHandler<ConversationMembersChanged>
{
    public async Task HandleAsync(MessageCreated created, KafkaRecord source, CancellationToken cancellationToken)
    {
        // A conversation's records are handled one at a time, in order: a repeat sees the first one's mark.
        if (await announced.WereAnnouncedAsync(created.Message.Id))
            return;
        await SendAsync(created.RecipientIds, ServerEvents.MessageNew, created.Message, cancellationToken);
        await announced.MarkAsync(created.Message.Id);
    }

    public Task HandleAsync(MessageUpdated updated, KafkaRecord source, CancellationToken cancellationToken) =>
        SendAsync(updated.RecipientIds, ServerEvents.MessageNew, updated.Message, cancellationToken);

    public Task HandleAsync(ReactionsChanged reactions, KafkaRecord source, CancellationToken cancellationToken) =>
        SendAsync(reactions.RecipientIds, ServerEvents.ReactionChanged,
            new ReactionChangedNotification(reactions.ConversationId, reactions.MessageId, reactions.Reactions), cancellationToken);

    public Task HandleAsync(MessageRead read, KafkaRecord source, CancellationToken cancellationToken) =>
        SendAsync(read.RecipientIds, ServerEvents.MessageRead,
            new MessageReadNotification(read.ConversationId, read.UserId, read.Seq), cancellationToken);

    public Task HandleAsync(ConversationMembersChanged changed, KafkaRecord source, CancellationToken cancellationToken) =>
        audience.ForgetEverywhereAsync(changed);

    private Task SendAsync(IReadOnlyList<Guid> recipientIds, string serverEvent, object payload, CancellationToken cancellationToken) =>
        recipientIds.Count == 0
            ? Task.CompletedTask
            : hub.Clients.Users(UserIds.ToStrings(recipientIds)).SendAsync(serverEvent, payload, cancellationToken);
}
