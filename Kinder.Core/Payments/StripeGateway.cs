using Kinder.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Stripe;

namespace Kinder.Core.Payments;

/// <summary>
/// Kinder's calls to Stripe, through Stripe.net. Every call carries an idempotency key derived from the Kinder row it is
/// for, so a retry (ours or Stripe.net's) is the same call, never a second customer, charge or refund.
/// </summary>
public sealed class StripeGateway(IOptions<StripeOptions> options)
{
    /// <summary>Metadata key carrying the Kinder payment id on every PaymentIntent: webhooks find the payment by it.</summary>
    public const string PaymentIdKey = "kinder_payment_id";
    public const string UserIdKey = "kinder_user_id";
    public const string SubscriptionIdKey = "kinder_subscription_id";

    private readonly Lazy<IStripeClient> client = new(() =>
    {
        var settings = options.Value;
        if (string.IsNullOrWhiteSpace(settings.ApiKey))
        {
            throw new InvalidOperationException(
                "Stripe:ApiKey is not set: the AppHost sets it (the local Stripe fake's key), a deployment its own secret key.");
        }
        return new StripeClient(settings.ApiKey, apiBase: string.IsNullOrWhiteSpace(settings.ApiBase) ? null : settings.ApiBase);
    });

    public IStripeClient Client => client.Value;

    /// <summary>False when no API key is set (a host without payments): callers answer 503 instead of calling.</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(options.Value.ApiKey);

    /// <summary>The user's Stripe customer, created once (the key makes concurrent first payments one customer).</summary>
    public async Task<string> EnsureCustomerAsync(KinderDbContext db, Guid userId, string email, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var existing = await db.PaymentCustomers.Where(c => c.UserId == userId).Select(c => c.StripeCustomerId)
            .FirstOrDefaultAsync(cancellationToken);
        if (existing is not null)
        {
            return existing;
        }
        var customer = await new CustomerService(Client).CreateAsync(new CustomerCreateOptions
        {
            Email = email,
            Metadata = new Dictionary<string, string> { [UserIdKey] = userId.ToString() },
        }, new RequestOptions { IdempotencyKey = $"kinder-customer-{userId:N}" }, cancellationToken);
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO payment_customers (user_id, stripe_customer_id, created_at) VALUES ({userId}, {customer.Id}, {now})
            ON CONFLICT DO NOTHING
            """, cancellationToken);
        return customer.Id;
    }

    /// <summary>The PaymentIntent of a Kinder payment; asking again for the same payment returns the same intent.</summary>
    public Task<PaymentIntent> CreatePaymentIntentAsync(Payment payment, string customerId, string description,
        CancellationToken cancellationToken) =>
        new PaymentIntentService(Client).CreateAsync(new PaymentIntentCreateOptions
        {
            Amount = payment.AmountMinor,
            Currency = payment.Currency.ToLowerInvariant(),
            Customer = customerId,
            Description = description,
            Metadata = new Dictionary<string, string>
            {
                [PaymentIdKey] = payment.Id.ToString(),
                [UserIdKey] = payment.UserId.ToString(),
            },
            // A destination charge: Stripe moves the amount less the fee to the organizer's account.
            TransferData = payment.DestinationAccountId is { } destination
                ? new PaymentIntentTransferDataOptions { Destination = destination } : null,
            ApplicationFeeAmount = payment.DestinationAccountId is null ? null : payment.ApplicationFeeMinor,
        }, new RequestOptions { IdempotencyKey = payment.StripeIdempotencyKey }, cancellationToken);

    /// <summary>
    /// Refunds a payment in full, once (the key is the payment's). A destination charge also takes the organizer's share
    /// back (<c>reverse_transfer</c>) and returns the platform fee (<c>refund_application_fee</c>): a refunded ticket
    /// leaves no money with anyone.
    /// </summary>
    public Task<Refund> RefundAsync(Payment payment, CancellationToken cancellationToken) =>
        new RefundService(Client).CreateAsync(new RefundCreateOptions
        {
            PaymentIntent = payment.StripePaymentIntentId,
            ReverseTransfer = payment.DestinationAccountId is null ? null : true,
            RefundApplicationFee = payment.DestinationAccountId is null ? null : true,
            Metadata = new Dictionary<string, string> { [PaymentIdKey] = payment.Id.ToString() },
        }, new RequestOptions { IdempotencyKey = $"kinder-refund-{payment.Id:N}" }, cancellationToken);

    /// <summary>The organizer's Express account, created once (the key makes concurrent requests one account).</summary>
    public async Task<string> EnsureConnectAccountAsync(KinderDbContext db, Guid userId, string email, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var existing = await db.ConnectAccounts.Where(a => a.UserId == userId).Select(a => a.StripeAccountId)
            .FirstOrDefaultAsync(cancellationToken);
        if (existing is not null)
        {
            return existing;
        }
        var account = await new AccountService(Client).CreateAsync(new AccountCreateOptions
        {
            Type = "express",
            Email = email,
            Capabilities = new AccountCapabilitiesOptions
            {
                CardPayments = new AccountCapabilitiesCardPaymentsOptions { Requested = true },
                Transfers = new AccountCapabilitiesTransfersOptions { Requested = true },
            },
            Metadata = new Dictionary<string, string> { [UserIdKey] = userId.ToString() },
        }, new RequestOptions { IdempotencyKey = $"kinder-account-{userId:N}" }, cancellationToken);
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO connect_accounts (user_id, stripe_account_id, charges_enabled, payouts_enabled, details_submitted,
                                          created_at, updated_at)
            VALUES ({userId}, {account.Id}, {account.ChargesEnabled}, {account.PayoutsEnabled}, {account.DetailsSubmitted},
                    {now}, {now})
            ON CONFLICT DO NOTHING
            """, cancellationToken);
        return await db.ConnectAccounts.Where(a => a.UserId == userId).Select(a => a.StripeAccountId).FirstAsync(cancellationToken);
    }

    /// <summary>A fresh onboarding link (they are single-use and expire), under a key of its own.</summary>
    public Task<AccountLink> CreateOnboardingLinkAsync(string accountId, PaymentsOptions payments,
        CancellationToken cancellationToken) =>
        new AccountLinkService(Client).CreateAsync(new AccountLinkCreateOptions
        {
            Account = accountId,
            Type = "account_onboarding",
            ReturnUrl = payments.ConnectReturnUrl,
            RefreshUrl = payments.ConnectRefreshUrl,
        }, new RequestOptions { IdempotencyKey = $"kinder-account-link-{Guid.CreateVersion7():N}" }, cancellationToken);

    /// <summary>Cancels a payment's PaymentIntent (an expired hold), once: a late confirmation can no longer charge.</summary>
    public Task<PaymentIntent> CancelPaymentIntentAsync(Guid paymentId, string intentId, CancellationToken cancellationToken) =>
        new PaymentIntentService(Client).CancelAsync(intentId, new PaymentIntentCancelOptions(),
            new RequestOptions { IdempotencyKey = $"kinder-cancel-{paymentId:N}" }, cancellationToken);

    /// <summary>
    /// The premium subscription of a Kinder subscription row, created <c>incomplete</c> with its first invoice's
    /// PaymentIntent for the client to confirm (<c>latest_invoice.confirmation_secret</c>); the row's key makes a retry
    /// the same subscription.
    /// </summary>
    public Task<Stripe.Subscription> CreateSubscriptionAsync(Subscription subscription, string customerId, string priceId,
        CancellationToken cancellationToken) =>
        new SubscriptionService(Client).CreateAsync(new SubscriptionCreateOptions
        {
            Customer = customerId,
            Items = [new SubscriptionItemOptions { Price = priceId }],
            PaymentBehavior = "default_incomplete",
            PaymentSettings = new SubscriptionPaymentSettingsOptions { SaveDefaultPaymentMethod = "on_subscription" },
            Metadata = new Dictionary<string, string>
            {
                [SubscriptionIdKey] = subscription.Id.ToString(),
                [UserIdKey] = subscription.UserId.ToString(),
            },
            Expand = ["latest_invoice.confirmation_secret"],
        }, new RequestOptions { IdempotencyKey = subscription.StripeIdempotencyKey }, cancellationToken);

    /// <summary>Stops renewal: the subscription stays active until its period ends, then Stripe deletes it.</summary>
    public Task<Stripe.Subscription> CancelAtPeriodEndAsync(string stripeSubscriptionId, CancellationToken cancellationToken) =>
        new SubscriptionService(Client).UpdateAsync(stripeSubscriptionId,
            new SubscriptionUpdateOptions { CancelAtPeriodEnd = true },
            new RequestOptions { IdempotencyKey = $"kinder-subscription-cancel-{stripeSubscriptionId}" }, cancellationToken);

    /// <summary>Ends a subscription at once (one whose first invoice was never paid).</summary>
    public Task<Stripe.Subscription> CancelNowAsync(string stripeSubscriptionId, CancellationToken cancellationToken) =>
        new SubscriptionService(Client).CancelAsync(stripeSubscriptionId, new SubscriptionCancelOptions(),
            new RequestOptions { IdempotencyKey = $"kinder-subscription-end-{stripeSubscriptionId}" }, cancellationToken);

    /// <summary>The client secret of the subscription's open invoice (for a retried <c>POST /payments/subscription</c>).</summary>
    public async Task<string?> OpenInvoiceSecretAsync(string stripeSubscriptionId, CancellationToken cancellationToken)
    {
        var current = await new SubscriptionService(Client).GetAsync(stripeSubscriptionId, cancellationToken: cancellationToken);
        if (current.LatestInvoiceId is null)
        {
            return null;
        }
        var invoice = await new InvoiceService(Client).GetAsync(current.LatestInvoiceId,
            new InvoiceGetOptions { Expand = ["confirmation_secret"] }, cancellationToken: cancellationToken);
        return invoice.ConfirmationSecret?.ClientSecret;
    }
}
