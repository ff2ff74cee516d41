using Kinder.Core.Chat;
using Kinder.Core.Data;
using Kinder.Core.Outbox;
using Kinder.Messaging;

namespace Kinder.Api.Conversations;

/// <summary>
/// Writes the chat live signals (README in Core/Chat) to the outbox of the current unit of work, keyed by the
/// conversation on <c>messages.outgoing</c>: they commit with the change they describe, or not at all, and Workers'
/// relay publishes them. Call inside the change's transaction, after its changes are saved (the member list is read
/// there, so it is the list as of the change) and before the <c>SaveChanges</c> that commits the row.
/// </summary>
public sealed class ChatSignals(KinderDbContext db, ConversationAccess access)
{
    public async Task MembersChangedAsync(Guid conversationId, IReadOnlyList<Guid> affectedUserIds,
        CancellationToken cancellationToken) =>
        MembersChanged(conversationId, await access.ActiveMemberIdsAsync(conversationId, cancellationToken), affectedUserIds);

    /// <summary>For a conversation being created in this unit of work, whose members are known without reading them.</summary>
    public void MembersChanged(Guid conversationId, IReadOnlyList<Guid> memberIds, IReadOnlyList<Guid> affectedUserIds) =>
        Add(conversationId, new ConversationMembersChanged(conversationId, memberIds, affectedUserIds));

    public async Task MessageUpdatedAsync(MessageView message, CancellationToken cancellationToken) =>
        Add(message.ConversationId,
            new MessageUpdated(message, await access.ActiveMemberIdsAsync(message.ConversationId, cancellationToken)));

    public async Task ReactionsChangedAsync(Guid conversationId, Guid messageId, IReadOnlyDictionary<string, int> reactions,
        CancellationToken cancellationToken) =>
        Add(conversationId, new ReactionsChanged(conversationId, messageId, reactions,
            await access.ActiveMemberIdsAsync(conversationId, cancellationToken)));

    private void Add<T>(Guid conversationId, T record) where T : class, IRecord =>
        db.AddIntegrationEvent(Topics.MessagesOutgoing, conversationId.ToString(), record);
}
