using Kinder.Core.Data;
using Kinder.Core.Moderation;
using Kinder.Core.Outbox;
using Kinder.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Stripe;

namespace Kinder.Core.Payments;

/// <summary>
/// Card refunds, in two steps so that no Stripe call runs inside a database transaction (which would hold the event's
/// lock for as long as Stripe takes): <see cref="Request"/> writes the intent to the outbox in the transaction that
/// marks the ticket refunded; Workers then call Stripe (<see cref="SendAsync"/>) with the payment's idempotency key, and
/// Stripe's <c>charge.refunded</c> webhook marks the payment refunded. A redelivered request is the same refund.
/// </summary>
public sealed class StripeRefunds(KinderDbContext db, StripeGateway stripe, ILogger<StripeRefunds> logger)
{
    /// <summary>
    /// Records that the payment is to be refunded, and the audit entry (<paramref name="actorId"/>: who caused it, null
    /// for the system); call in the transaction of what caused it.
    /// </summary>
    public static void Request(KinderDbContext db, AuditTrail audit, Guid? actorId, Payment payment, string reason,
        DateTimeOffset now)
    {
        db.AddIntegrationEvent(Topics.Payments, payment.Id.ToString(), new RefundRequestedIntegrationEvent(payment.Id, reason, now));
        audit.Record(AuditActions.PaymentRefunded, actorId, AuditTargets.Payment, payment.Id,
            new { userId = payment.UserId, eventId = payment.EventId, payment.AmountMinor, payment.Currency, reason });
    }

    /// <summary>Asks Stripe for the refund (outside any transaction); nothing when the payment is already refunded.</summary>
    public async Task SendAsync(Guid paymentId, CancellationToken cancellationToken)
    {
        var payment = await db.Payments.AsNoTracking().FirstOrDefaultAsync(p => p.Id == paymentId, cancellationToken);
        if (payment is null || payment.Status == PaymentStatus.Refunded || payment.StripePaymentIntentId is null)
        {
            return;
        }
        try
        {
            var refund = await stripe.RefundAsync(payment, cancellationToken);
            logger.LogInformation("Refund {RefundId} of payment {PaymentId} asked of Stripe", refund.Id, payment.Id);
        }
        catch (StripeException exception) when (exception.StripeError?.Code == "charge_already_refunded")
        {
            logger.LogInformation("Payment {PaymentId} was already refunded at Stripe", payment.Id);
        }
    }
}
