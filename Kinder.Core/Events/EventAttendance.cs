namespace Kinder.Core.Events;

/// <summary>One user's answer to one event. The organizer has one from the start, <see cref="AttendanceStatus.Going"/>.</summary>
public sealed class EventAttendance
{
    public required Guid EventId { get; init; }
    public required Guid UserId { get; init; }
    public AttendanceStatus Status { get; set; }

    /// <summary>
    /// The event's <see cref="Event.AttendanceSequence"/> when the status last changed: the waitlist order and the
    /// attendee list's paging order.
    /// </summary>
    public long Sequence { get; set; }

    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;
    public DateTimeOffset UpdatedAt { get; set; } = DateTimeOffset.UtcNow;
}

/// <summary>
/// What a user said about an event. <see cref="Waitlisted"/> is never asked for: it is what <see cref="Going"/>
/// becomes on a full event.
/// </summary>
public enum AttendanceStatus
{
    Interested,
    Going,
    NotGoing,
    Waitlisted,
}
