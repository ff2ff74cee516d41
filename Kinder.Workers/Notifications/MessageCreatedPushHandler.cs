using Kinder.Core.Chat;
using Kinder.Messaging;

namespace Kinder.Workers.Notifications;

/// <summary>
/// Reads <c>messages.outgoing</c> in a group of its own and requests pushes for a new message's offline recipients
/// (<see cref="OfflinePushes"/>). The record's offset is stored only after every push request was acknowledged by
/// the broker, so a crash (here or in Realtime, which no longer takes part) loses no push: the record is handled
/// again, and a push may then be requested twice (its <see cref="PushRequested.MessageId"/> tells them apart).
/// </summary>
public sealed class MessageCreatedPushHandler(OfflinePushes pushes) : IRecordHandler<MessageCreated>
{
    public Task HandleAsync(MessageCreated created, KafkaRecord source, CancellationToken cancellationToken) =>
        pushes.RequestAsync(created.Message, created.RecipientIds, cancellationToken);
}
