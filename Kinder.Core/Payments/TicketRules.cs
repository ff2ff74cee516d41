using Kinder.Core.Data;
using Kinder.Core.Events;
using Kinder.Core.Moderation;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Core.Payments;

/// <summary>Tickets on an event the caller has locked (<see cref="EventLocking.LockEventAsync"/>).</summary>
public static class TicketRules
{
    /// <summary>
    /// Places taken: the people going plus the card tickets and waitlist offers still holding a place. Under the event's lock, so two
    /// buyers never both take the last place.
    /// </summary>
    public static async Task<bool> HasFreePlaceAsync(KinderDbContext db, Event locked, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        if (locked.Capacity is not { } capacity)
        {
            return true;
        }
        var held = await db.Tickets.CountAsync(t => t.EventId == locked.Id && t.HoldExpiresAt > now &&
            (t.Status == TicketStatus.Pending || t.Status == TicketStatus.Offered), cancellationToken);
        return locked.GoingCount + held < capacity;
    }

    /// <summary>The user's ticket that takes a place (confirmed, or pending within its hold), if any.</summary>
    public static Task<Ticket?> ActiveTicketAsync(KinderDbContext db, Guid eventId, Guid userId, DateTimeOffset now,
        CancellationToken cancellationToken) =>
        db.Tickets.FirstOrDefaultAsync(t => t.EventId == eventId && t.UserId == userId &&
            (t.Status == TicketStatus.Confirmed || (t.Status == TicketStatus.Pending && t.HoldExpiresAt > now)),
            cancellationToken);

    /// <summary>
    /// Gives back a credits ticket's credits (a cancelled event, a leave before the cut-off): the ticket is refunded
    /// and one refund entry is written, in the caller's transaction.
    /// </summary>
    public static async Task RefundCreditsAsync(KinderDbContext db, AuditTrail audit, Guid? actorId, Ticket ticket,
        DateTimeOffset now, string reason, CancellationToken cancellationToken)
    {
        if (ticket.PayWith != TicketPayment.Credits || ticket.Status != TicketStatus.Confirmed)
        {
            return;
        }
        ticket.Status = TicketStatus.Refunded;
        ticket.UpdatedAt = now;
        await db.AddCreditsAsync(ticket.UserId, CreditEntryKind.Refund, ticket.Credits, now, null, ticket.EventId, reason,
            cancellationToken);
        audit.Record(AuditActions.PaymentRefunded, actorId, AuditTargets.Ticket, ticket.Id,
            new { userId = ticket.UserId, eventId = ticket.EventId, ticket.Credits, reason });
    }

    /// <summary>
    /// The attendee of the locked paid event is leaving: before the refund cut-off their confirmed ticket is refunded
    /// (credits at once, a card through Stripe after the transaction, <see cref="StripeRefunds"/>); after it the ticket stays paid.
    /// </summary>
    public static async Task RefundOnLeaveAsync(KinderDbContext db, AuditTrail audit, PaymentsOptions options,
        Event locked, Guid userId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var ticket = await db.Tickets.FirstOrDefaultAsync(t => t.EventId == locked.Id && t.UserId == userId &&
            t.Status == TicketStatus.Confirmed, cancellationToken);
        if (ticket is null || now > locked.StartsAt - options.RefundCutoff)
        {
            return;
        }
        if (ticket.PayWith == TicketPayment.Credits)
        {
            await RefundCreditsAsync(db, audit, userId, ticket, now, "left before the cut-off", cancellationToken);
            return;
        }
        ticket.Status = TicketStatus.Refunded;
        ticket.UpdatedAt = now;
        var payment = await db.Payments.FirstAsync(p => p.Id == ticket.PaymentId, cancellationToken);
        StripeRefunds.Request(db, audit, userId, payment, "left before the cut-off", now);
    }
}
