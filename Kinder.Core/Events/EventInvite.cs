namespace Kinder.Core.Events;

/// <summary>
/// <see cref="InviterId"/> invited <see cref="InviteeId"/> to the event: the invitee may see it even when it is private
/// (<see cref="EventViewers"/>). One row per invitee; a repeated invite keeps the first.
/// </summary>
public sealed class EventInvite
{
    public required Guid EventId { get; init; }
    public required Guid InviteeId { get; init; }
    public required Guid InviterId { get; init; }
    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;
}
