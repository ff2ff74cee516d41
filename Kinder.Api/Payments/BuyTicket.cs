using System.Security.Claims;
using Kinder.Api.Infrastructure;
using Kinder.Api.Profiles;
using Kinder.Core;
using Kinder.Core.Data;
using Kinder.Core.Events;
using Kinder.Core.Identity;
using Kinder.Core.Payments;
using Kinder.Core.Profiles;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Stripe;
using Event = Kinder.Core.Events.Event;

namespace Kinder.Api.Payments;

/// <summary>
/// Buys a place on a paid event, under the event's lock so capacity is never exceeded (people going plus unexpired card
/// holds): with credits the ticket is confirmed and the buyer going at once, in one transaction with the spend; by card
/// a pending ticket holds the place and the buyer is going when Stripe's webhook reports the payment.
/// </summary>
public sealed class BuyTicket(KinderDbContext db, StripeGateway stripe, IOptions<PaymentsOptions> options,
    TimeProvider time, ILogger<BuyTicket> logger)
{
    private sealed record Started(Ticket Ticket, Payment? Payment, Event Event);

    public async Task<Results<Created<TicketResponse>, ProblemHttpResult>> HandleAsync(Guid eventId,
        TicketRequest request, ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        if (!principal.IsEmailVerified())
        {
            return Problems.Create(StatusCodes.Status403Forbidden, ErrorCodes.EmailNotVerified,
                "Verify your email address before going to events.");
        }
        var userId = principal.GetUserId();
        var email = await db.Users.Where(u => u.Id == userId && u.DeletedAt == null).Select(u => u.Email)
            .FirstOrDefaultAsync(cancellationToken);
        if (email is null)
        {
            return CurrentUser.Gone();
        }
        var payWith = request.PayWith!.Value;
        var now = time.GetUtcNow();

        ProblemHttpResult? refusal = null;
        var started = await db.InTransactionAsync(async token =>
        {
            var @event = await db.LockEventAsync(eventId, token);
            if (@event is not null && @event.Status != EventStatus.Cancelled && @event.OrganizerId != userId &&
                await TicketRules.ActiveTicketAsync(db, eventId, userId, now, token) is null)
            {
                // A waitlisted buyer's offer (if any) becomes their purchase's place.
                await PaidWaitlist.TakeOfferAsync(db, @event, userId, now, token);
            }
            refusal = @event is null || !await db.CanSeeAsync(@event, userId, token) ? Problems.NotFound()
                : @event.Status == EventStatus.Cancelled ? Problems.Conflict(ErrorCodes.EventCancelled, "The event was cancelled.")
                : @event.PriceMinor <= 0 ? Problems.Conflict(ErrorCodes.Conflict, "The event is free: answer going instead.")
                : @event.OrganizerId == userId ? Problems.Conflict(ErrorCodes.Conflict, "The organizer always goes.")
                : await TicketRules.ActiveTicketAsync(db, eventId, userId, now, token) is not null
                    ? Problems.Conflict(ErrorCodes.Conflict, "You already have a ticket for this event.")
                : !await TicketRules.HasFreePlaceAsync(db, @event, now, token)
                    ? Problems.Conflict(ErrorCodes.EventFull, "The event is full.")
                : null;
            if (refusal is not null)
            {
                return null;
            }
            return payWith == TicketPayment.Credits
                ? await PayWithCreditsAsync(@event!, userId, now, token)
                : await HoldForCardAsync(@event!, userId, now, token);
        }, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }
        if (started is null)
        {
            return Problems.Create(StatusCodes.Status402PaymentRequired, ErrorCodes.InsufficientCredits,
                "Not enough credits: recharge the wallet or pay by card.");
        }
        if (started.Payment is null)
        {
            return Created(new TicketResponse(started.Ticket.Id, started.Ticket.Status, Credits: started.Ticket.Credits));
        }

        try
        {
            var customerId = await stripe.EnsureCustomerAsync(db, userId, email, now, cancellationToken);
            var intent = await stripe.CreatePaymentIntentAsync(started.Payment, customerId,
                $"Kinder ticket: {started.Event.Title}", cancellationToken);
            await db.Payments.Where(p => p.Id == started.Payment.Id)
                .ExecuteUpdateAsync(p => p.SetProperty(x => x.StripePaymentIntentId, intent.Id), cancellationToken);
            return Created(new TicketResponse(started.Ticket.Id, TicketStatus.Pending, started.Payment.Id, intent.ClientSecret,
                started.Ticket.HoldExpiresAt));
        }
        catch (StripeException exception)
        {
            // Give the place back at once rather than when the hold would expire.
            logger.LogWarning("Stripe failed the PaymentIntent of ticket {TicketId}: {Message}", started.Ticket.Id, exception.Message);
            await db.Tickets.Where(t => t.Id == started.Ticket.Id && t.Status == TicketStatus.Pending)
                .ExecuteUpdateAsync(t => t.SetProperty(x => x.Status, TicketStatus.Failed), cancellationToken);
            await db.Payments.Where(p => p.Id == started.Payment.Id && p.Status == PaymentStatus.Pending)
                .ExecuteUpdateAsync(p => p.SetProperty(x => x.Status, PaymentStatus.Failed), cancellationToken);
            return Problems.Create(StatusCodes.Status503ServiceUnavailable, ErrorCodes.ServiceUnavailable,
                "Payments are unavailable right now; try again.");
        }
    }

    /// <summary>Null when the balance does not cover the price (nothing is written then).</summary>
    private async Task<Started?> PayWithCreditsAsync(Event @event, Guid userId, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var credits = options.Value.CreditsFor(@event.PriceMinor);
        if (await db.TrySpendCreditsAsync(userId, credits, now, @event.Id, "ticket", cancellationToken) is null)
        {
            return null;
        }
        var ticket = new Ticket
        {
            EventId = @event.Id, UserId = userId, Status = TicketStatus.Confirmed, PayWith = TicketPayment.Credits,
            Credits = credits, CreatedAt = now, UpdatedAt = now,
        };
        db.Tickets.Add(ticket);
        await EventAttendanceRules.ChangeAsync(db, @event, userId, AttendanceStatus.Going, now, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return new Started(ticket, null, @event);
    }

    private async Task<Started> HoldForCardAsync(Event @event, Guid userId, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        // The organizer's share goes to their Connect account once it can receive payouts; until then Kinder keeps it.
        var destination = await db.ConnectAccounts.AsNoTracking()
            .Where(a => a.UserId == @event.OrganizerId && a.ChargesEnabled && a.PayoutsEnabled)
            .Select(a => a.StripeAccountId).FirstOrDefaultAsync(cancellationToken);
        var payment = new Payment
        {
            UserId = userId, Kind = PaymentKind.Ticket, AmountMinor = @event.PriceMinor,
            Currency = (@event.Currency ?? options.Value.Currency).ToUpperInvariant(), EventId = @event.Id,
            DestinationAccountId = destination,
            ApplicationFeeMinor = destination is null ? null : options.Value.PlatformFeeFor(@event.PriceMinor),
            CreatedAt = now, UpdatedAt = now,
        };
        var ticket = new Ticket
        {
            EventId = @event.Id, UserId = userId, Status = TicketStatus.Pending, PayWith = TicketPayment.Card,
            PaymentId = payment.Id, HoldExpiresAt = now + options.Value.TicketHold, CreatedAt = now, UpdatedAt = now,
        };
        db.Payments.Add(payment);
        db.Tickets.Add(ticket);
        await db.SaveChangesAsync(cancellationToken);
        return new Started(ticket, payment, @event);
    }

    private static Created<TicketResponse> Created(TicketResponse response) =>
        TypedResults.Created($"/api/v1/payments/tickets/{response.TicketId}", response);
}
