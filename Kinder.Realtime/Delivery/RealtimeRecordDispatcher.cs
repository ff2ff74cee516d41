using Kinder.Core.Chat;
using Kinder.Core.Diagnostics;
using Kinder.Core.Events;
using Kinder.Core.Notifications;
using Kinder.Messaging;
using Kinder.Realtime.Diagnostics;

namespace Kinder.Realtime.Delivery;

/// <summary>
/// Realtime reads its topics on every instance (an every-instance consumer, not a group sharing them out) and hands
/// each record to the handler for its record type (<see cref="Handlers"/>), which writes it to the connections this
/// instance holds (<see cref="LocalRecipients"/>). Writes are not awaited, so a batch (what is already fetched) is
/// handled in order in one scope; if it fails the host replays it one record at a time (retries, dead letters), and
/// what was already sent is sent again, which clients absorb (they replace by id).
/// </summary>
public sealed class RealtimeRecordDispatcher(IServiceProvider services,
    [FromKeyedServices(RealtimeRecordDispatcher.HandlersKey)] RecordHandlers handlers) : IKafkaBatchHandler
{
    public const string HandlersKey = "realtime";

    public static readonly string[] Topics = [Messaging.Topics.MessagesOutgoing, Messaging.Topics.EventChanges, Messaging.Topics.SystemProbes,
        Messaging.Topics.NotificationsCreated];

    /// <summary>Which handler delivers which record type.</summary>
    public static void Handlers(RecordHandlers handlers) => handlers
        .Add<MessageCreated, OutgoingMessagesIntegrationEventHandler>()
        .Add<MessageUpdated, OutgoingMessagesIntegrationEventHandler>()
        .Add<ReactionsChanged, OutgoingMessagesIntegrationEventHandler>()
        .Add<MessageRead, OutgoingMessagesIntegrationEventHandler>()
        .Add<ConversationMembersChanged, OutgoingMessagesIntegrationEventHandler>()
        .Add<EventRescheduledIntegrationEvent, EventUpdatesIntegrationEventHandler>()
        .Add<EventRelocatedIntegrationEvent, EventUpdatesIntegrationEventHandler>()
        .Add<EventCancelledIntegrationEvent, EventUpdatesIntegrationEventHandler>()
        .Add<NotificationCreated, NotificationsIntegrationEventHandler>()
        .Add<ProbeRecordedIntegrationEvent, ProbeRecordedIntegrationEventHandler>();

    /// <summary>Records taken per batch.</summary>
    public const int BatchSize = 256;

    public Task HandleAsync(KafkaRecord record, CancellationToken cancellationToken) =>
        handlers.DispatchAsync(services, record, cancellationToken);

    public async Task HandleBatchAsync(IReadOnlyList<KafkaRecord> records, CancellationToken cancellationToken)
    {
        foreach (var record in records)
            await handlers.DispatchAsync(services, record, cancellationToken);
    }
}
