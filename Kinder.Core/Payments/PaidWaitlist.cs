using Kinder.Core.Data;
using Kinder.Core.Events;
using Kinder.Core.Outbox;
using Kinder.Messaging;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Core.Payments;

/// <summary>
/// The waitlist of a paid event, on an event the caller has locked. A freed place is not given away (going needs a
/// ticket): the first waitlisted person gets an offer — a ticket <see cref="TicketStatus.Offered"/> that holds the
/// place for <see cref="PaymentsOptions.WaitlistClaimWindow"/> — and buys it like any ticket. An offer not taken in
/// time lapses, its holder leaves the line and the place is offered to the next (<see cref="LapseExpiredAsync"/>, run
/// by Workers' sweeper). Free events keep the events feature's direct promotion.
/// </summary>
public static class PaidWaitlist
{
    /// <summary>Offers every free place (capacity less going, card holds and open offers) to the front of the line.</summary>
    public static async Task<int> OfferAsync(KinderDbContext db, Event locked, DateTimeOffset now, TimeSpan claimWindow,
        CancellationToken cancellationToken)
    {
        if (locked.PriceMinor <= 0 || locked.Status == EventStatus.Cancelled || locked.Capacity is not { } capacity)
        {
            return 0;
        }
        var holding = await db.Tickets.Where(t => t.EventId == locked.Id && t.HoldExpiresAt > now &&
                (t.Status == TicketStatus.Pending || t.Status == TicketStatus.Offered))
            .Select(t => new { t.UserId, t.Status }).ToListAsync(cancellationToken);
        var free = capacity - locked.GoingCount - holding.Count;
        if (free <= 0)
        {
            return 0;
        }
        var offered = holding.Where(h => h.Status == TicketStatus.Offered).Select(h => h.UserId).ToList();
        var next = await db.EventAttendances
            .Where(a => a.EventId == locked.Id && a.Status == AttendanceStatus.Waitlisted && !offered.Contains(a.UserId))
            .OrderBy(a => a.Sequence).Take(free).Select(a => a.UserId).ToListAsync(cancellationToken);
        foreach (var userId in next)
        {
            db.Tickets.Add(new Ticket
            {
                EventId = locked.Id, UserId = userId, Status = TicketStatus.Offered, PayWith = TicketPayment.Card,
                HoldExpiresAt = now + claimWindow, CreatedAt = now, UpdatedAt = now,
            });
            // The notifications hook: tell them the place is theirs to buy until then.
            db.AddIntegrationEvent(Topics.PaymentsChanges, userId.ToString(),
                new WaitlistOfferedIntegrationEvent(locked.Id, userId, now + claimWindow, now));
        }
        await db.SaveChangesAsync(cancellationToken);
        return next.Count;
    }

    /// <summary>
    /// Before a buyer's ticket: their open offer gives its place to their purchase, and a waitlisted buyer leaves the
    /// line (confirming the ticket then makes them going) — unless there is neither an offer nor a free place.
    /// </summary>
    public static async Task TakeOfferAsync(KinderDbContext db, Event locked, Guid userId, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var offers = await db.Tickets.Where(t => t.EventId == locked.Id && t.UserId == userId &&
            t.Status == TicketStatus.Offered && t.HoldExpiresAt > now).ToListAsync(cancellationToken);
        if (offers.Count == 0 && !await TicketRules.HasFreePlaceAsync(db, locked, now, cancellationToken))
        {
            return; // no offer and no place: the purchase is refused as full, and they keep their place in line
        }
        db.Tickets.RemoveRange(offers);
        if (await db.EventAttendances.AnyAsync(a => a.EventId == locked.Id && a.UserId == userId &&
                a.Status == AttendanceStatus.Waitlisted, cancellationToken))
        {
            await EventAttendanceRules.ChangeAsync(db, locked, userId, AttendanceStatus.NotGoing, now, cancellationToken);
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Lapses the locked event's expired offers (their holders leave the line) and offers the places again.</summary>
    public static async Task<int> LapseExpiredAsync(KinderDbContext db, Event locked, DateTimeOffset now,
        TimeSpan claimWindow, CancellationToken cancellationToken)
    {
        var lapsed = await db.Tickets.Where(t => t.EventId == locked.Id && t.Status == TicketStatus.Offered &&
            t.HoldExpiresAt <= now).ToListAsync(cancellationToken);
        foreach (var offer in lapsed)
        {
            offer.Status = TicketStatus.Lapsed;
            offer.UpdatedAt = now;
            if (await db.EventAttendances.AnyAsync(a => a.EventId == locked.Id && a.UserId == offer.UserId &&
                    a.Status == AttendanceStatus.Waitlisted, cancellationToken))
            {
                await EventAttendanceRules.ChangeAsync(db, locked, offer.UserId, AttendanceStatus.NotGoing, now,
                    cancellationToken);
            }
        }
        await db.SaveChangesAsync(cancellationToken);
        return lapsed.Count + await OfferAsync(db, locked, now, claimWindow, cancellationToken);
    }
}
