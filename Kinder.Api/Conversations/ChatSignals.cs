using Kinder.Core.Chat;
using Kinder.Core.Data;
using Kinder.Messaging;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Api.Conversations;

/// <summary>
/// The live signals the Api sends on <c>messages.outgoing</c> after it changed the database (README in Core/Chat):
/// the database is the truth, these tell Realtime to push the change or drop what it cached.
/// </summary>
public sealed class ChatSignals(ConversationAccess access, IKafkaProducer producer)
{
    public async Task MembersChangedAsync(Guid conversationId, IReadOnlyList<Guid> affectedUserIds,
        CancellationToken cancellationToken)
    {
        var members = await access.ActiveMemberIdsAsync(conversationId, cancellationToken);
        await ProduceAsync(conversationId, ConversationMembersChanged.RecordType,
            new ConversationMembersChanged(conversationId, members, affectedUserIds), cancellationToken);
    }

    public async Task MessageUpdatedAsync(MessageView message, CancellationToken cancellationToken)
    {
        var members = await access.ActiveMemberIdsAsync(message.ConversationId, cancellationToken);
        await ProduceAsync(message.ConversationId, MessageUpdated.RecordType, new MessageUpdated(message, members),
            cancellationToken);
    }

    public async Task ReactionsChangedAsync(Guid conversationId, Guid messageId, IReadOnlyDictionary<string, int> reactions,
        CancellationToken cancellationToken)
    {
        var members = await access.ActiveMemberIdsAsync(conversationId, cancellationToken);
        await ProduceAsync(conversationId, ReactionsChanged.RecordType,
            new ReactionsChanged(conversationId, messageId, reactions, members), cancellationToken);
    }

    private Task ProduceAsync<T>(Guid conversationId, string type, T record, CancellationToken cancellationToken) =>
        producer.ProduceAsync(Topics.MessagesOutgoing, conversationId.ToString(), KafkaEnvelope.Create(type, record),
            cancellationToken);
}
