using Kinder.Core.Events;
using Kinder.Messaging;
using Kinder.Core.Outbox;
using Kinder.Realtime.Chat;
using Kinder.Realtime.Hubs;
using Microsoft.AspNetCore.SignalR;

namespace Kinder.Realtime.Delivery;

/// <summary>What clients receive as <c>event:updated</c>: reload the event.</summary>
public sealed record EventUpdatedNotification(Guid EventId);

/// <summary>An event was rescheduled, moved or cancelled (<c>events.events</c>): its attendees' clients reload it.</summary>
public sealed class EventUpdatesIntegrationEventHandler(IHubContext<ChatHub> hub) : IKafkaRecordHandler
{
    private static readonly string Rescheduled = IntegrationEvents.TypeName<EventRescheduledIntegrationEvent>();
    private static readonly string Relocated = IntegrationEvents.TypeName<EventRelocatedIntegrationEvent>();
    private static readonly string Cancelled = IntegrationEvents.TypeName<EventCancelledIntegrationEvent>();

    public async Task HandleAsync(KafkaRecord record, CancellationToken cancellationToken)
    {
        var type = record.Envelope.Type;
        var (eventId, attendeeIds) =
            type == Rescheduled ? Read<EventRescheduledIntegrationEvent>(record, e => (e.EventId, e.AttendeeIds))
            : type == Relocated ? Read<EventRelocatedIntegrationEvent>(record, e => (e.EventId, e.AttendeeIds))
            : type == Cancelled ? Read<EventCancelledIntegrationEvent>(record, e => (e.EventId, e.AttendeeIds))
            : (Guid.Empty, []);
        if (attendeeIds.Count > 0)
            await hub.Clients.Users(UserIds.ToStrings(attendeeIds))
                .SendAsync(ServerEvents.EventUpdated, new EventUpdatedNotification(eventId), cancellationToken);
    }

    private static (Guid, IReadOnlyList<Guid>) Read<T>(KafkaRecord record, Func<T, (Guid, IReadOnlyList<Guid>)> select) =>
        select(record.Envelope.Deserialize<T>());
}
