namespace Kinder.Core.Payments;

public enum PaymentKind { Recharge, Ticket, Subscription }

public enum PaymentStatus { Pending, Succeeded, Failed, Refunded }

/// <summary>
/// One payment Kinder asked Stripe for (a PaymentIntent). Its status follows Stripe's webhooks only: pending until
/// Stripe says it succeeded or failed, refunded when Stripe says the charge was refunded.
/// </summary>
public sealed class Payment
{
    public const int MaxIdempotencyKeyLength = 255;

    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid UserId { get; init; }
    public PaymentKind Kind { get; init; }
    public PaymentStatus Status { get; set; } = PaymentStatus.Pending;

    /// <summary>What was charged, in minor units of <see cref="Currency"/> (ISO 4217, upper case).</summary>
    public long AmountMinor { get; init; }
    public required string Currency { get; init; }

    /// <summary>Credits a recharge adds once it succeeds; 0 for other kinds.</summary>
    public long Credits { get; init; }
    public string? ProductId { get; init; }
    public Guid? EventId { get; init; }

    /// <summary>The caller's <c>Idempotency-Key</c>: the same key from the same user is the same payment.</summary>
    public string? IdempotencyKey { get; init; }
    public string? StripePaymentIntentId { get; set; }
    public string? FailureCode { get; set; }
    public string? FailureMessage { get; set; }
    public string? ReceiptUrl { get; set; }

    /// <summary>
    /// A destination charge: the organizer's Connect account that receives the payment less
    /// <see cref="ApplicationFeeMinor"/> (the platform's cut). Null when the platform keeps it all.
    /// </summary>
    public string? DestinationAccountId { get; init; }
    public long? ApplicationFeeMinor { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>The key Kinder sends Stripe when it creates this payment's PaymentIntent: a retry is the same intent.</summary>
    public string StripeIdempotencyKey => $"kinder-payment-{Id:N}";
}
