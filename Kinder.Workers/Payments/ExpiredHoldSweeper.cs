using Kinder.Core.Data;
using Kinder.Core.Events;
using Kinder.Core.Profiles;
using Kinder.Core.Payments;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Stripe;

namespace Kinder.Workers.Payments;

/// <summary>
/// Card tickets whose hold expired stop taking a place at once (by time); this sweeper also cancels their
/// PaymentIntents at Stripe, so a confirmation that comes later cannot charge the card, and marks ticket and payment
/// failed. An intent that already succeeded is left to its webhook (<see cref="StripeEventProcessor"/>: confirmed if a
/// place is free, refunded otherwise). Every <c>Payments:HoldSweepInterval</c>; replicas sweeping twice is harmless
/// (the cancel's idempotency key is the payment's, the updates are guarded by status).
/// </summary>
public sealed class ExpiredHoldSweeper(IServiceScopeFactory scopeFactory, IOptions<PaymentsOptions> options,
    TimeProvider time, ILogger<ExpiredHoldSweeper> logger) : PeriodicService(logger)
{
    private const int BatchSize = 100;

    protected override TimeProvider WaitClock => time;

    protected override TimeSpan Interval => options.Value.HoldSweepInterval;

    protected override string Work => "Sweeping expired card holds";

    protected override async Task RunPassAsync(CancellationToken cancellationToken)
    {
        var swept = await SweepAsync(cancellationToken);
        if (swept > 0)
        {
            logger.LogInformation("Cancelled {Count} expired card hold(s)", swept);
        }
    }

    /// <summary>One pass over the expired holds, a batch at most.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KinderDbContext>();
        var stripe = scope.ServiceProvider.GetRequiredService<StripeGateway>();
        var now = time.GetUtcNow();
        var expired = await (from ticket in db.Tickets
                             join payment in db.Payments on ticket.PaymentId equals payment.Id
                             where ticket.Status == TicketStatus.Pending && ticket.HoldExpiresAt < now
                             orderby ticket.HoldExpiresAt
                             select new { TicketId = ticket.Id, PaymentId = payment.Id, payment.StripePaymentIntentId })
            .Take(BatchSize).AsNoTracking().ToListAsync(cancellationToken);
        var swept = await LapseOffersAsync(db, now, cancellationToken);
        foreach (var hold in expired)
        {
            if (hold.StripePaymentIntentId is { } intentId)
            {
                try
                {
                    await stripe.CancelPaymentIntentAsync(hold.PaymentId, intentId, cancellationToken);
                }
                catch (StripeException exception) when (exception.StripeError?.Code == "payment_intent_unexpected_state")
                {
                    continue; // it succeeded meanwhile: its webhook confirms or refunds the ticket
                }
            }
            await db.Tickets.Where(t => t.Id == hold.TicketId && t.Status == TicketStatus.Pending)
                .ExecuteUpdateAsync(t => t.SetProperty(x => x.Status, TicketStatus.Failed).SetProperty(x => x.UpdatedAt, now),
                    cancellationToken);
            await db.Payments.Where(p => p.Id == hold.PaymentId && p.Status == PaymentStatus.Pending)
                .ExecuteUpdateAsync(p => p.SetProperty(x => x.Status, PaymentStatus.Failed)
                    .SetProperty(x => x.FailureCode, "hold_expired").SetProperty(x => x.UpdatedAt, now), cancellationToken);
            swept++;
        }
        return swept;
    }

    /// <summary>
    /// Paid events whose waitlist has an expired offer, or a place to offer (a hold expired, a payment failed): the
    /// offers lapse and the places go to the next in line (<see cref="PaidWaitlist"/>), each event under its lock.
    /// </summary>
    private async Task<int> LapseOffersAsync(KinderDbContext db, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var eventIds = await db.EventAttendances
            .Where(a => a.Status == AttendanceStatus.Waitlisted)
            .Join(db.Events.Where(e => e.PriceMinor > 0 && e.Status != EventStatus.Cancelled &&
                e.Capacity != null), a => a.EventId, e => e.Id, (a, e) => e.Id)
            .Union(db.Tickets.Where(t => t.Status == TicketStatus.Offered && t.HoldExpiresAt <= now).Select(t => t.EventId))
            .Take(BatchSize).ToListAsync(cancellationToken);
        var changed = 0;
        foreach (var eventId in eventIds)
        {
            changed += await db.InTransactionAsync(async token =>
                await db.LockEventAsync(eventId, token) is { } locked
                    ? await PaidWaitlist.LapseExpiredAsync(db, locked, now, options.Value.WaitlistClaimWindow, token)
                    : 0, cancellationToken);
        }
        return changed;
    }
}
