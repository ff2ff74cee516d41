using Kinder.Core.Data;
using Kinder.Core.Outbox;
using Kinder.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Stripe;

namespace Kinder.Core.Payments;

/// <summary>
/// Subscription webhooks (<c>customer.subscription.*</c>, <c>invoice.paid</c>, <c>invoice.payment_failed</c>). Events
/// can arrive late, twice or out of order, so none is applied as such: the subscription is read back from Stripe
/// (before the transaction: no Stripe call holds a lock) and Kinder's row takes that current state. An older event
/// handled later therefore cannot undo a newer one.
/// </summary>
public sealed class SubscriptionEvents(KinderDbContext db, StripeGateway stripe, ILogger<SubscriptionEvents> logger)
{
    /// <summary>The Stripe subscription an event is about, or null when it is not a subscription event.</summary>
    public static string? SubscriptionIdOf(Stripe.Event stripeEvent) => stripeEvent.Data.Object switch
    {
        Stripe.Subscription subscription when stripeEvent.Type.StartsWith("customer.subscription.", StringComparison.Ordinal) =>
            subscription.Id,
        Invoice invoice when stripeEvent.Type is EventTypes.InvoicePaid or EventTypes.InvoicePaymentFailed =>
            invoice.Parent?.SubscriptionDetails?.SubscriptionId,
        _ => null,
    };

    /// <summary>Stripe's current view of the subscription; called outside any transaction.</summary>
    public Task<Stripe.Subscription> ReadCurrentAsync(string stripeSubscriptionId, CancellationToken cancellationToken) =>
        new SubscriptionService(stripe.Client).GetAsync(stripeSubscriptionId, cancellationToken: cancellationToken);

    /// <summary>Applies Stripe's current state to Kinder's row (inside the event's transaction).</summary>
    public async Task ApplyAsync(Stripe.Event stripeEvent, Stripe.Subscription current, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var row = await LockRowAsync(current, cancellationToken);
        if (row is null)
        {
            logger.LogWarning("No Kinder subscription for Stripe subscription {SubscriptionId}", current.Id);
            return;
        }
        var status = Parse(current.Status);
        var periodEnd = current.Items?.Data?.FirstOrDefault()?.CurrentPeriodEnd is { } end && end > DateTime.UnixEpoch
            ? new DateTimeOffset(DateTime.SpecifyKind(end, DateTimeKind.Utc)) : row.CurrentPeriodEnd;
        var changed = row.Status != status || row.CancelAtPeriodEnd != current.CancelAtPeriodEnd ||
            row.CurrentPeriodEnd != periodEnd;
        row.StripeSubscriptionId ??= current.Id;
        row.PastDueSince = status == SubscriptionStatus.PastDue ? row.PastDueSince ?? now : null;
        row.Status = status;
        row.CancelAtPeriodEnd = current.CancelAtPeriodEnd;
        row.CurrentPeriodEnd = periodEnd;
        row.UpdatedAt = now;
        if (stripeEvent.Type == EventTypes.InvoicePaid && stripeEvent.Data.Object is Invoice invoice)
        {
            await RecordPaymentAsync(row, invoice, now, cancellationToken);
        }
        if (changed)
        {
            // The notifications hook: premium started, renewed, set to end, past due, ended.
            db.AddIntegrationEvent(Topics.PaymentsChanges, row.UserId.ToString(), new SubscriptionChangedIntegrationEvent(
                row.UserId, row.Id, row.Status, row.CurrentPeriodEnd, row.CancelAtPeriodEnd, now));
        }
        logger.LogInformation("Subscription {SubscriptionId} is {Status} (cancel at period end: {Cancel})", row.Id,
            row.Status, row.CancelAtPeriodEnd);
    }

    /// <summary>A paid invoice is a subscription payment in the user's history, once per invoice.</summary>
    private async Task RecordPaymentAsync(Subscription row, Invoice invoice, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var key = $"invoice:{invoice.Id}";
        if (await db.Payments.AnyAsync(p => p.UserId == row.UserId && p.IdempotencyKey == key, cancellationToken))
        {
            return;
        }
        var payment = new Payment
        {
            UserId = row.UserId, Kind = PaymentKind.Subscription, Status = PaymentStatus.Succeeded,
            AmountMinor = invoice.AmountPaid, Currency = invoice.Currency.ToUpperInvariant(), ProductId = row.ProductId,
            IdempotencyKey = key,
            StripePaymentIntentId = invoice.Payments?.Data?.FirstOrDefault()?.Payment?.PaymentIntentId,
            ReceiptUrl = invoice.HostedInvoiceUrl, CreatedAt = now, UpdatedAt = now,
        };
        db.Payments.Add(payment);
        if (payment.ReceiptUrl is not null)
        {
            await PaymentReceipts.QueueAsync(db, payment, payment.ReceiptUrl, cancellationToken);
        }
    }

    private async Task<Subscription?> LockRowAsync(Stripe.Subscription current, CancellationToken cancellationToken)
    {
        var row = await db.Subscriptions
            .FromSql($"SELECT * FROM subscriptions WHERE stripe_subscription_id = {current.Id} FOR UPDATE")
            .FirstOrDefaultAsync(cancellationToken);
        if (row is null && current.Metadata is not null &&
            current.Metadata.TryGetValue(StripeGateway.SubscriptionIdKey, out var value) && Guid.TryParse(value, out var id))
        {
            row = await db.Subscriptions.FromSql($"SELECT * FROM subscriptions WHERE id = {id} FOR UPDATE")
                .FirstOrDefaultAsync(cancellationToken);
        }
        return row;
    }

    private static SubscriptionStatus Parse(string status) => status switch
    {
        "active" => SubscriptionStatus.Active,
        "trialing" => SubscriptionStatus.Trialing,
        "past_due" => SubscriptionStatus.PastDue,
        "canceled" => SubscriptionStatus.Canceled,
        "unpaid" => SubscriptionStatus.Unpaid,
        "paused" => SubscriptionStatus.Paused,
        "incomplete_expired" => SubscriptionStatus.IncompleteExpired,
        _ => SubscriptionStatus.Incomplete,
    };
}
