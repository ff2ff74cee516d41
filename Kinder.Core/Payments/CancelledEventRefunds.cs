using Kinder.Core.Data;
using Kinder.Core.Events;
using Kinder.Core.Moderation;
using Kinder.Core.Profiles;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Kinder.Core.Payments;

/// <summary>
/// Refunds every ticket of a cancelled event, once each: credits go back to the wallet in the ticket's transaction
/// (under the event's lock, the ticket's status the guard); a paid card is refunded through Stripe with the payment's
/// own idempotency key by Workers after the transaction (<see cref="StripeRefunds"/>), and the ticket is marked refunded
/// with the request. Running it again finds nothing left to refund. Each refund is audited with who cancelled the event
/// (organizer or moderator, from the cancellation record) as the actor.
/// </summary>
public sealed class CancelledEventRefunds(KinderDbContext db, AuditTrail audit, TimeProvider time,
    ILogger<CancelledEventRefunds> logger)
{
    public async Task RefundAsync(Guid eventId, Guid? cancelledBy, CancellationToken cancellationToken)
    {
        var ticketIds = await db.Tickets.AsNoTracking()
            .Where(t => t.EventId == eventId && t.Status == TicketStatus.Confirmed)
            .Select(t => t.Id).ToListAsync(cancellationToken);
        foreach (var ticketId in ticketIds)
        {
            await db.InTransactionAsync(async token =>
            {
                var @event = await db.LockEventAsync(eventId, token);
                var ticket = await db.Tickets.FirstAsync(t => t.Id == ticketId, token);
                if (@event?.Status != EventStatus.Cancelled || ticket.Status != TicketStatus.Confirmed)
                {
                    return 0;
                }
                var now = time.GetUtcNow();
                if (ticket.PayWith == TicketPayment.Credits)
                {
                    await TicketRules.RefundCreditsAsync(db, audit, cancelledBy, ticket, now, "event cancelled", token);
                }
                else
                {
                    var payment = await db.Payments.FirstAsync(p => p.Id == ticket.PaymentId, token);
                    ticket.Status = TicketStatus.Refunded;
                    ticket.UpdatedAt = now;
                    StripeRefunds.Request(db, audit, cancelledBy, payment, "event cancelled", now);
                }
                await db.SaveChangesAsync(token);
                return 1;
            }, cancellationToken);
        }
        logger.LogInformation("Refunded {Count} ticket(s) of cancelled event {EventId}", ticketIds.Count, eventId);
    }
}
