using Kinder.Core.Events;
using Kinder.Messaging;
using Kinder.Realtime.Chat;
using Kinder.Realtime.Hubs;
using Microsoft.AspNetCore.SignalR;

namespace Kinder.Realtime.Delivery;

/// <summary>What clients receive as <c>event:updated</c>: reload the event.</summary>
public sealed record EventUpdatedNotification(Guid EventId);

/// <summary>An event was rescheduled, moved or cancelled (<c>events.changes</c>): its attendees' clients reload it.</summary>
public sealed class EventUpdatesIntegrationEventHandler(IHubContext<ChatHub> hub) :
    IRecordHandler<EventRescheduledIntegrationEvent>,
    IRecordHandler<EventRelocatedIntegrationEvent>,
    IRecordHandler<EventCancelledIntegrationEvent>
{
    public Task HandleAsync(EventRescheduledIntegrationEvent rescheduled, KafkaRecord source, CancellationToken cancellationToken) =>
        TellAttendeesAsync(rescheduled.EventId, rescheduled.AttendeeIds, cancellationToken);

    public Task HandleAsync(EventRelocatedIntegrationEvent relocated, KafkaRecord source, CancellationToken cancellationToken) =>
        TellAttendeesAsync(relocated.EventId, relocated.AttendeeIds, cancellationToken);

    public Task HandleAsync(EventCancelledIntegrationEvent cancelled, KafkaRecord source, CancellationToken cancellationToken) =>
        TellAttendeesAsync(cancelled.EventId, cancelled.AttendeeIds, cancellationToken);

    private Task TellAttendeesAsync(Guid eventId, IReadOnlyList<Guid> attendeeIds, CancellationToken cancellationToken) =>
        attendeeIds.Count == 0
            ? Task.CompletedTask
            : hub.Clients.Users(UserIds.ToStrings(attendeeIds))
                .SendAsync(ServerEvents.EventUpdated, new EventUpdatedNotification(eventId), cancellationToken);
}
