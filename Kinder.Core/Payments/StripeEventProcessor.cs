using Kinder.Core.Data;
using Kinder.Core.Events;
using Kinder.Core.Moderation;
using Kinder.Core.Outbox;
using Kinder.Messaging;
using Kinder.Core.Profiles;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Stripe;
using Event = Kinder.Core.Events.Event;

namespace Kinder.Core.Payments;

/// <summary>
/// Applies one stored Stripe event, once: under the event row's lock it is skipped if already processed, else applied
/// and marked processed in the same transaction. Each payment changes under its own row lock and only along
/// pending → succeeded | failed, failed → succeeded (a retried card), succeeded → refunded, so a late or repeated
/// event of an earlier state changes nothing.
/// </summary>
public sealed class StripeEventProcessor(KinderDbContext db, SubscriptionEvents subscriptions, AuditTrail audit,
    TimeProvider time, ILogger<StripeEventProcessor> logger)
{
    public async Task ProcessAsync(string stripeEventId, CancellationToken cancellationToken)
    {
        // A subscription event is applied as Stripe's current state of the subscription, read before the transaction.
        var payload = await db.StripeEvents.Where(e => e.Id == stripeEventId && e.ProcessedAt == null).Select(e => e.Payload)
            .FirstOrDefaultAsync(cancellationToken);
        var subscriptionId = payload is null ? null
            : SubscriptionEvents.SubscriptionIdOf(EventUtility.ParseEvent(payload, throwOnApiVersionMismatch: false));
        var currentSubscription = subscriptionId is null ? null
            : await subscriptions.ReadCurrentAsync(subscriptionId, cancellationToken);
        await db.InTransactionAsync(async token =>
        {
            var record = await db.StripeEvents
                .FromSql($"SELECT * FROM stripe_events WHERE id = {stripeEventId} FOR UPDATE").FirstOrDefaultAsync(token);
            if (record is null || record.ProcessedAt is not null)
            {
                logger.LogInformation("Stripe event {StripeEventId} is unknown or already handled", stripeEventId);
                return 0;
            }
            var stripeEvent = EventUtility.ParseEvent(record.Payload, throwOnApiVersionMismatch: false);
            var now = time.GetUtcNow();
            if (currentSubscription is not null)
            {
                await subscriptions.ApplyAsync(stripeEvent, currentSubscription, now, token);
            }
            switch (stripeEvent.Data.Object)
            {
                case PaymentIntent intent when stripeEvent.Type == EventTypes.PaymentIntentSucceeded:
                    await SucceededAsync(intent, now, token);
                    break;
                case PaymentIntent intent when stripeEvent.Type == EventTypes.PaymentIntentPaymentFailed:
                    await FailedAsync(intent, now, token);
                    break;
                case Charge charge when stripeEvent.Type == EventTypes.ChargeSucceeded:
                    await ReceiptAsync(charge, now, token);
                    break;
                case Charge charge when stripeEvent.Type == EventTypes.ChargeRefunded:
                    await RefundedAsync(charge, now, token);
                    break;
                case Account account when stripeEvent.Type == EventTypes.AccountUpdated:
                    await AccountUpdatedAsync(account, now, token);
                    break;
                default:
                    logger.LogInformation("Stripe event {StripeEventId} of type {Type} needs nothing", record.Id, record.Type);
                    break;
            }
            record.ProcessedAt = now;
            await db.SaveChangesAsync(token);
            return 1;
        }, cancellationToken);
    }

    private async Task SucceededAsync(PaymentIntent intent, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var payment = await LockPaymentAsync(intent.Id, intent.Metadata, cancellationToken);
        if (payment is null || payment.Status is not (PaymentStatus.Pending or PaymentStatus.Failed))
        {
            return;
        }
        payment.Status = PaymentStatus.Succeeded;
        payment.StripePaymentIntentId ??= intent.Id;
        payment.FailureCode = null;
        payment.FailureMessage = null;
        payment.UpdatedAt = now;
        if (payment.Kind == PaymentKind.Recharge && payment.Credits > 0)
        {
            await db.AddCreditsAsync(payment.UserId, CreditEntryKind.Recharge, payment.Credits, now, payment.Id, null,
                payment.ProductId, cancellationToken);
        }
        if (payment.Kind == PaymentKind.Ticket)
        {
            await ConfirmTicketAsync(payment, now, cancellationToken);
        }
        Changed(payment, now);
        logger.LogInformation("Payment {PaymentId} succeeded", payment.Id);
    }

    private async Task FailedAsync(PaymentIntent intent, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var payment = await LockPaymentAsync(intent.Id, intent.Metadata, cancellationToken);
        if (payment is null || payment.Status != PaymentStatus.Pending)
        {
            return;
        }
        payment.Status = PaymentStatus.Failed;
        payment.StripePaymentIntentId ??= intent.Id;
        payment.FailureCode = Truncate(intent.LastPaymentError?.DeclineCode ?? intent.LastPaymentError?.Code, 64);
        payment.FailureMessage = Truncate(intent.LastPaymentError?.Message, 500);
        payment.UpdatedAt = now;
        // A declined card gives the held place back at once.
        await db.Tickets.Where(t => t.PaymentId == payment.Id && t.Status == TicketStatus.Pending)
            .ExecuteUpdateAsync(t => t.SetProperty(x => x.Status, TicketStatus.Failed).SetProperty(x => x.UpdatedAt, now),
                cancellationToken);
        Changed(payment, now);
        logger.LogInformation("Payment {PaymentId} failed: {Code}", payment.Id, payment.FailureCode);
    }

    private async Task ReceiptAsync(Charge charge, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (charge.PaymentIntentId is null || charge.ReceiptUrl is null)
        {
            return;
        }
        var payment = await LockPaymentAsync(charge.PaymentIntentId, charge.Metadata, cancellationToken);
        if (payment is not null && payment.ReceiptUrl is null)
        {
            payment.ReceiptUrl = Truncate(charge.ReceiptUrl, 2048);
            payment.UpdatedAt = now;
            // The first receipt URL is the payment's one receipt email.
            await PaymentReceipts.QueueAsync(db, payment, payment.ReceiptUrl!, cancellationToken);
        }
    }

    /// <summary>
    /// A refunded charge marks its payment refunded. A refunded recharge takes back its credits, as far as the balance
    /// has them (the ledger never goes below zero; what was already spent stays spent).
    /// </summary>
    private async Task RefundedAsync(Charge charge, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (charge.PaymentIntentId is null || !charge.Refunded)
        {
            return;
        }
        var payment = await LockPaymentAsync(charge.PaymentIntentId, charge.Metadata, cancellationToken);
        if (payment is null || payment.Status != PaymentStatus.Succeeded)
        {
            return;
        }
        payment.Status = PaymentStatus.Refunded;
        payment.UpdatedAt = now;
        // A refund Kinder asked for was audited when it was asked for (its ticket is refunded already); one made at
        // Stripe is audited here, with no actor.
        var askedByKinder = payment.Kind == PaymentKind.Ticket && await db.Tickets.AnyAsync(
            t => t.PaymentId == payment.Id && t.Status == TicketStatus.Refunded, cancellationToken);
        if (!askedByKinder)
        {
            audit.Record(AuditActions.PaymentRefunded, null, AuditTargets.Payment, payment.Id,
                new { userId = payment.UserId, eventId = payment.EventId, payment.AmountMinor, payment.Currency,
                    reason = "refunded at Stripe" });
        }
        if (payment.Kind == PaymentKind.Recharge && payment.Credits > 0)
        {
            await db.LockWalletAsync(payment.UserId, now, cancellationToken);
            var takeBack = Math.Min(payment.Credits, await db.CreditBalanceAsync(payment.UserId, cancellationToken));
            if (takeBack > 0)
            {
                db.CreditEntries.Add(new CreditEntry
                {
                    UserId = payment.UserId, Kind = CreditEntryKind.Adjustment, Credits = -takeBack, PaymentId = payment.Id,
                    Reason = "recharge refunded", CreatedAt = now,
                });
            }
        }
        if (payment.Kind == PaymentKind.Ticket && payment.EventId is { } eventId)
        {
            var @event = await db.LockEventAsync(eventId, cancellationToken);
            var ticket = await db.Tickets.FirstOrDefaultAsync(t => t.PaymentId == payment.Id, cancellationToken);
            if (@event is not null && ticket is not null && ticket.Status != TicketStatus.Refunded)
            {
                ticket.Status = TicketStatus.Refunded;
                ticket.UpdatedAt = now;
                await LeaveAsync(@event, payment.UserId, now, cancellationToken);
            }
        }
        Changed(payment, now);
        logger.LogInformation("Payment {PaymentId} refunded", payment.Id);
    }

    /// <summary>
    /// A paid card ticket: confirmed (and its buyer going) if it still holds its place, or a place is free; otherwise —
    /// the hold expired and the event filled, or the event was cancelled — the payment is refunded, once (<see cref="StripeRefunds"/>:
    /// Stripe is called after this transaction, with the payment's idempotency key).
    /// </summary>
    private async Task ConfirmTicketAsync(Payment payment, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var @event = payment.EventId is { } eventId ? await db.LockEventAsync(eventId, cancellationToken) : null;
        var ticket = await db.Tickets.FirstOrDefaultAsync(t => t.PaymentId == payment.Id, cancellationToken);
        if (@event is null || ticket is null || ticket.Status is not (TicketStatus.Pending or TicketStatus.Failed))
        {
            return;
        }
        ticket.UpdatedAt = now;
        var placeKept = ticket.HoldsPlace(now);
        if (@event.Status != EventStatus.Cancelled && (placeKept || await TicketRules.HasFreePlaceAsync(db, @event, now, cancellationToken)))
        {
            ticket.Status = TicketStatus.Confirmed;
            var attendance = await EventAttendanceRules.ChangeAsync(db, @event, payment.UserId, AttendanceStatus.Going, now,
                cancellationToken);
            if (attendance.Status == AttendanceStatus.Going)
            {
                return;
            }
            await LeaveAsync(@event, payment.UserId, now, cancellationToken);
        }
        ticket.Status = TicketStatus.Refunded;
        StripeRefunds.Request(db, audit, null, payment, "paid without a place", now);
        logger.LogInformation("Ticket {TicketId} paid without a place (hold expired or event cancelled): refunded", ticket.Id);
    }

    /// <summary>An organizer's Connect account changed: Kinder keeps Stripe's flags (they decide destination charges).</summary>
    private async Task AccountUpdatedAsync(Account account, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var updated = await db.ConnectAccounts.Where(a => a.StripeAccountId == account.Id)
            .ExecuteUpdateAsync(a => a.SetProperty(x => x.ChargesEnabled, account.ChargesEnabled)
                .SetProperty(x => x.PayoutsEnabled, account.PayoutsEnabled)
                .SetProperty(x => x.DetailsSubmitted, account.DetailsSubmitted)
                .SetProperty(x => x.UpdatedAt, now), cancellationToken);
        logger.LogInformation("Connect account {AccountId} updated ({Rows} row): payouts {Payouts}", account.Id, updated,
            account.PayoutsEnabled);
    }

    private async Task LeaveAsync(Event @event, Guid userId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await db.EventAttendances.AnyAsync(a => a.EventId == @event.Id && a.UserId == userId &&
                a.Status != AttendanceStatus.NotGoing, cancellationToken))
        {
            await EventAttendanceRules.ChangeAsync(db, @event, userId, AttendanceStatus.NotGoing, now, cancellationToken);
        }
    }

    /// <summary>Tells the payer (a <c>payment</c> notification) in the transaction that changed the payment.</summary>
    private void Changed(Payment payment, DateTimeOffset now) =>
        db.AddIntegrationEvent(Topics.PaymentsChanges, payment.UserId.ToString(), new PaymentChangedIntegrationEvent(payment.Id,
            payment.UserId, payment.Kind, payment.Status, payment.AmountMinor, payment.Currency, payment.EventId, now));

    /// <summary>The payment an intent is for, row-locked: by the intent id, or by the metadata Kinder set on it.</summary>
    private async Task<Payment?> LockPaymentAsync(string intentId, IDictionary<string, string>? metadata,
        CancellationToken cancellationToken)
    {
        var payment = await db.Payments
            .FromSql($"SELECT * FROM payments WHERE stripe_payment_intent_id = {intentId} FOR UPDATE")
            .FirstOrDefaultAsync(cancellationToken);
        if (payment is null && metadata is not null && metadata.TryGetValue(StripeGateway.PaymentIdKey, out var value) &&
            Guid.TryParse(value, out var paymentId))
        {
            payment = await db.Payments.FromSql($"SELECT * FROM payments WHERE id = {paymentId} FOR UPDATE")
                .FirstOrDefaultAsync(cancellationToken);
        }
        if (payment is null)
        {
            logger.LogWarning("No Kinder payment for PaymentIntent {IntentId}", intentId);
        }
        return payment;
    }

    private static string? Truncate(string? text, int length) => text is null || text.Length <= length ? text : text[..length];
}
