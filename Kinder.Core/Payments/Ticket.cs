namespace Kinder.Core.Payments;

/// <summary>
/// Pending: a card payment is under way and holds a place until <see cref="Ticket.HoldExpiresAt"/>. Offered: a paid
/// event's waitlist offers its holder a freed place until then (<see cref="PaidWaitlist"/>); Lapsed: not taken in time.
/// </summary>
public enum TicketStatus { Pending, Confirmed, Failed, Refunded, Offered, Lapsed }

public enum TicketPayment { Card, Credits }

/// <summary>
/// A place on a paid event. Paid with credits it is confirmed at once; paid by card it is pending, holding its place
/// until the hold expires, and confirmed when Stripe's webhook says the payment succeeded. Only a pending ticket
/// whose hold has not expired, or a confirmed one, takes a place; a user has at most one such ticket per event.
/// </summary>
public sealed class Ticket
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid EventId { get; init; }
    public Guid UserId { get; init; }
    public TicketStatus Status { get; set; }
    public TicketPayment PayWith { get; init; }

    /// <summary>The card payment; null for credits.</summary>
    public Guid? PaymentId { get; init; }

    /// <summary>What credits paid (0 for a card).</summary>
    public long Credits { get; init; }
    public DateTimeOffset? HoldExpiresAt { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }

    public bool HoldsPlace(DateTimeOffset now) =>
        Status == TicketStatus.Confirmed || (Status == TicketStatus.Pending && HoldExpiresAt > now);
}
