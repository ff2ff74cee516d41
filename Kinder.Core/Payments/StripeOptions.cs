namespace Kinder.Core.Payments;

/// <summary>
/// How Kinder reaches Stripe (section <c>Stripe</c>): the secret key, the API base (Stripe itself when unset, the local
/// fake in development) and the webhook endpoint's signing secret. Keys come from configuration or user secrets,
/// never from the repository; development points at the fake (tools/Kinder.StripeFake) with its own fake keys.
/// </summary>
public sealed class StripeOptions
{
    public const string SectionName = "Stripe";

    public string ApiKey { get; set; } = "";

    /// <summary>E.g. <c>http://127.0.0.1:5090</c> for the local fake; empty: <c>https://api.stripe.com</c>.</summary>
    public string? ApiBase { get; set; }

    public string WebhookSecret { get; set; } = "";

    /// <summary>How old a webhook's signed timestamp may be: Stripe's recommended 300 seconds.</summary>
    public int WebhookToleranceSeconds { get; set; } = 300;
}

/// <summary>What can be bought (section <c>Payments</c>): credit packs and the premium plan, each a Stripe price.</summary>
public sealed class PaymentsOptions
{
    public const string SectionName = "Payments";

    /// <summary>The currency credits are sold in, shown with the wallet and credit movements.</summary>
    public string Currency { get; set; } = "EUR";

    public List<PaymentProduct> Products { get; set; } = [];

    /// <summary>How many minor units of an event's price one credit pays (a 10.00 ticket is 200 credits at 5).</summary>
    public long CreditValueMinor { get; set; } = 5;

    /// <summary>How long a card ticket holds its place while the payment completes.</summary>
    public TimeSpan TicketHold { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The platform's cut of a card ticket paid to an organizer's Connect account, in percent (0–100).</summary>
    public decimal PlatformFeePercent { get; set; } = 10m;

    /// <summary>Where Stripe's Connect onboarding sends the organizer back (done, or the link expired).</summary>
    public string ConnectReturnUrl { get; set; } = "kinder://payments/connect/return";
    public string ConnectRefreshUrl { get; set; } = "kinder://payments/connect/refresh";

    /// <summary>The platform fee of a charge, rounded to the nearest minor unit.</summary>
    public long PlatformFeeFor(long amountMinor) =>
        (long)Math.Round(amountMinor * PlatformFeePercent / 100m, MidpointRounding.AwayFromZero);

    /// <summary>How long a paid event's waitlist offers a freed place to the next in line before it passes on.</summary>
    public TimeSpan WaitlistClaimWindow { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How often Workers look for expired card holds to cancel (<c>ExpiredHoldSweeper</c>).</summary>
    public TimeSpan HoldSweepInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>An attendee who leaves a paid event earlier than this before it starts is refunded.</summary>
    public TimeSpan RefundCutoff { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Credits a ticket costs: the price in credits, rounded up.</summary>
    public long CreditsFor(long priceMinor) => (priceMinor + CreditValueMinor - 1) / CreditValueMinor;

    public PaymentProduct? Find(string? id) => Products.FirstOrDefault(product => product.Id == id);
}

public enum ProductKind { Credits, Subscription }

public sealed class PaymentProduct
{
    public string Id { get; set; } = "";
    public ProductKind Kind { get; set; }
    public string Name { get; set; } = "";
    public long PriceMinor { get; set; }
    public string Currency { get; set; } = "EUR";

    /// <summary>Credits a pack adds.</summary>
    public long? Credits { get; set; }

    /// <summary>A plan's billing interval (<c>month</c>, <c>year</c>).</summary>
    public string? Interval { get; set; }

    /// <summary>The Stripe price it maps to (<c>price_…</c>), for subscriptions.</summary>
    public string? StripePriceId { get; set; }

    public bool IsValid =>
        Id.Length is > 0 and <= 64 && Name.Length > 0 && PriceMinor > 0 && Currency.Length == 3 &&
        (Kind == ProductKind.Credits ? Credits > 0 : Interval is "month" or "year");
}
