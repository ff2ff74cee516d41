using Kinder.Core.Payments;

namespace Kinder.Api.Payments;

public sealed record ProductResponse(string Id, ProductKind Kind, string Name, long PriceMinor, string Currency,
    long? Credits, string? Interval)
{
    public static ProductResponse From(PaymentProduct product) => new(product.Id, product.Kind, product.Name,
        product.PriceMinor, product.Currency, product.Kind == ProductKind.Credits ? product.Credits : null,
        product.Kind == ProductKind.Subscription ? product.Interval : null);
}

public sealed record ProductList(IReadOnlyList<ProductResponse> Items);

/// <summary>The credits balance (the ledger's sum, never negative) and the currency credits are sold in.</summary>
public sealed record WalletResponse(long Balance, string Currency);

/// <summary>A recharge started: the client confirms the PaymentIntent with <c>ClientSecret</c>; credits follow Stripe's webhook.</summary>
public sealed record RechargeResponse(Guid PaymentId, string ClientSecret, PaymentStatus Status, long AmountMinor,
    string Currency, long Credits);

public enum TransactionKind { Recharge, Ticket, TicketRefund, Subscription, Spend, Refund, Adjustment }

/// <summary>
/// One line of the history: a payment (recharge, ticket, subscription) with its status, or a credit movement that is not
/// a payment (spend, refund); <c>Credits</c> is signed.
/// </summary>
public sealed record TransactionResponse(Guid Id, TransactionKind Kind, PaymentStatus Status, long AmountMinor,
    string Currency, long Credits, Guid? EventId, DateTimeOffset CreatedAt, string? ReceiptUrl, string? FailureCode);

public sealed record TransactionPage(IReadOnlyList<TransactionResponse> Items, string? NextCursor);

/// <summary>A premium subscription as the client sees it: <c>none</c> before the first payment.</summary>
public enum SubscriptionState { None, Active, PastDue, Canceled }

public sealed record SubscriptionResponse(SubscriptionState Status, string? ProductId, DateTimeOffset? CurrentPeriodEnd,
    bool CancelAtPeriodEnd)
{
    public static readonly SubscriptionResponse None = new(SubscriptionState.None, null, null, false);

    public static SubscriptionResponse From(Subscription? subscription) => subscription is null ? None : new(
        subscription.Status switch
        {
            SubscriptionStatus.Active or SubscriptionStatus.Trialing => SubscriptionState.Active,
            SubscriptionStatus.PastDue => SubscriptionState.PastDue,
            SubscriptionStatus.Incomplete => SubscriptionState.None,
            _ => SubscriptionState.Canceled,
        },
        subscription.ProductId, subscription.CurrentPeriodEnd, subscription.CancelAtPeriodEnd);
}

/// <summary>A subscription started: the client confirms the first invoice's payment with <c>ClientSecret</c>.</summary>
public sealed record SubscribeResponse(Guid SubscriptionId, string? ClientSecret, SubscriptionStatus Status);

/// <summary>What the caller's subscription unlocks now (<see cref="PremiumPolicy"/>).</summary>
public sealed record EntitlementsResponse(bool Premium, IReadOnlyList<string> Features, DateTimeOffset? Until);

public sealed record ConnectOnboardingResponse(string Url);

/// <summary>An organizer's Connect account: <c>none</c>, <c>pending</c> (onboarding unfinished), <c>restricted</c>, <c>active</c>.</summary>
public enum ConnectStatus { None, Pending, Restricted, Active }

public sealed record ConnectResponse(ConnectStatus Status, bool PayoutsEnabled)
{
    public static ConnectResponse From(ConnectAccount? account) => account is null
        ? new(ConnectStatus.None, false)
        : new(account.CanReceive ? ConnectStatus.Active : account.DetailsSubmitted ? ConnectStatus.Restricted : ConnectStatus.Pending,
            account.PayoutsEnabled);
}
