namespace Kinder.Core.Payments;

public enum CreditEntryKind { Recharge, Spend, Refund, Adjustment }

/// <summary>
/// One movement of a user's credits, never changed or deleted: the balance is the sum of a user's entries, written in
/// the transaction of what caused them, under the user's <see cref="Wallet"/> lock (<see cref="CreditLedger"/>).
/// </summary>
public sealed class CreditEntry
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid UserId { get; init; }
    public CreditEntryKind Kind { get; init; }

    /// <summary>Signed: a recharge or refund adds, a spend takes away.</summary>
    public long Credits { get; init; }

    /// <summary>The payment that caused it (a recharge); a payment causes at most one entry of each kind.</summary>
    public Guid? PaymentId { get; init; }
    public Guid? EventId { get; init; }
    public string? Reason { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>
/// A user's wallet: no balance (that is the ledger's sum), only the row every change of the user's credits locks
/// first, so that two spends cannot both see the same balance.
/// </summary>
public sealed class Wallet
{
    public Guid UserId { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>The Stripe customer of a user, made once on the first payment.</summary>
public sealed class PaymentCustomer
{
    public Guid UserId { get; init; }
    public required string StripeCustomerId { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>
/// A webhook event Stripe sent, stored once by its id when it arrives (the signature checked) and handled once by
/// Workers (<see cref="StripeEventProcessor"/>), which sets <see cref="ProcessedAt"/>.
/// </summary>
public sealed class StripeEventRecord
{
    public required string Id { get; init; }
    public required string Type { get; init; }
    public required string Payload { get; init; }
    public DateTimeOffset ReceivedAt { get; init; }
    public DateTimeOffset? ProcessedAt { get; set; }
}
