using Kinder.Core.Events;
using Kinder.Messaging;
using Kinder.Realtime.Chat;
using Kinder.Realtime.Hubs;

namespace Kinder.Realtime.Delivery;

/// <summary>What clients receive as <c>event:updated</c>: reload the event.</summary>
public sealed record EventUpdatedNotification(Guid EventId);

/// <summary>An event was rescheduled, moved or cancelled (<c>events.changes</c>): its attendees' clients reload it.</summary>
public sealed class EventUpdatesIntegrationEventHandler(LocalRecipients recipients, ChatAudience audience) :
    IRecordHandler<EventRescheduledIntegrationEvent>,
    IRecordHandler<EventRelocatedIntegrationEvent>,
    IRecordHandler<EventCancelledIntegrationEvent>
{
    public Task HandleAsync(EventRescheduledIntegrationEvent rescheduled, KafkaRecord source, CancellationToken cancellationToken) =>
        TellAttendees(rescheduled.EventId, rescheduled.AttendeeIds);

    public Task HandleAsync(EventRelocatedIntegrationEvent relocated, KafkaRecord source, CancellationToken cancellationToken) =>
        TellAttendees(relocated.EventId, relocated.AttendeeIds);

    public Task HandleAsync(EventCancelledIntegrationEvent cancelled, KafkaRecord source, CancellationToken cancellationToken) =>
        TellAttendees(cancelled.EventId, cancelled.AttendeeIds);

    private Task TellAttendees(Guid eventId, IReadOnlyList<Guid> attendeeIds)
    {
        audience.ForgetWriteFacts();
        recipients.Send(attendeeIds, ServerEvents.EventUpdated, new EventUpdatedNotification(eventId));
        return Task.CompletedTask;
    }
}
