using Kinder.Messaging;

namespace Kinder.Core.Events;

// Domain events about an event, on Topics.EventChanges keyed by the event id. AttendeeIds are the users to tell: everyone
// interested, going or waitlisted, the organizer (who made the change) left out.

public sealed record EventRescheduledIntegrationEvent(Guid EventId, DateTimeOffset StartsAt, DateTimeOffset EndsAt,
    DateTimeOffset PreviousStartsAt, DateTimeOffset PreviousEndsAt, IReadOnlyList<Guid> AttendeeIds) : IRecord
{
    public static string RecordType => "EventRescheduled";
}

public sealed record EventRelocatedIntegrationEvent(Guid EventId, double Latitude, double Longitude, string? Address,
    string? City, IReadOnlyList<Guid> AttendeeIds) : IRecord
{
    public static string RecordType => "EventRelocated";
}

/// <summary>An event was cancelled; <c>CancelledBy</c>: the organizer or moderator, null when unknown (older records).</summary>
public sealed record EventCancelledIntegrationEvent(Guid EventId, string Title, DateTimeOffset CancelledAt,
    IReadOnlyList<Guid> AttendeeIds, Guid? CancelledBy = null) : IRecord
{
    public static string RecordType => "EventCancelled";
}

// Attendance, on Topics.Attendance keyed by the event id: chat keeps each event's discussion membership in step.

/// <summary>A user's status on an event changed (<c>PreviousStatus</c> null for a first answer).</summary>
public sealed record AttendanceChangedIntegrationEvent(Guid EventId, Guid UserId, AttendanceStatus Status,
    AttendanceStatus? PreviousStatus, DateTimeOffset ChangedAt) : IRecord
{
    public static string RecordType => "AttendanceChanged";
}

/// <summary>A place freed and the first in line on the waitlist was moved to going.</summary>
public sealed record WaitlistPromotedIntegrationEvent(Guid EventId, Guid UserId, DateTimeOffset PromotedAt) : IRecord
{
    public static string RecordType => "WaitlistPromoted";
}

// Invites, on Topics.Social keyed by the event id: the notifications issue's hook for event_invite notifications.

/// <summary><c>InviterId</c> invited <c>InviteeIds</c> (those not invited before) to the event.</summary>
public sealed record EventInvitedIntegrationEvent(Guid EventId, Guid InviterId, IReadOnlyList<Guid> InviteeIds,
    DateTimeOffset InvitedAt) : IRecord
{
    public static string RecordType => "EventInvited";
}
