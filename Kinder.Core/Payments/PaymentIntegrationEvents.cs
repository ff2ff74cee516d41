using Kinder.Messaging;

namespace Kinder.Core.Payments;

/// <summary>
/// A Stripe webhook event was stored (<see cref="StripeEventRecord"/>), on <see cref="Topics.Payments"/> keyed by the
/// event id; Workers handle it (<see cref="StripeEventProcessor"/>). Written once per event id.
/// </summary>
public sealed record StripeEventReceivedIntegrationEvent(string StripeEventId, string Type) : IRecord
{
    public static string RecordType => "StripeEventReceived";
}

/// <summary>
/// A card payment is to be refunded (a cancelled event, an attendee leaving in time, a payment that came after its
/// place was gone), on <see cref="Topics.Payments"/> keyed by the payment: Workers call Stripe
/// (<see cref="StripeRefunds.SendAsync"/>), outside the transaction that decided it.
/// </summary>
public sealed record RefundRequestedIntegrationEvent(Guid PaymentId, string Reason, DateTimeOffset RequestedAt) : IRecord
{
    public static string RecordType => "RefundRequested";
}

/// <summary>
/// A place on a paid event was offered to the next on its waitlist until <c>ExpiresAt</c> (<see cref="PaidWaitlist"/>),
/// on <see cref="Topics.PaymentsChanges"/> keyed by the user: the notifications feature's hook ("a place is yours:
/// buy it before …"). Buying is the usual <c>POST /events/{id}/tickets</c>.
/// </summary>
public sealed record WaitlistOfferedIntegrationEvent(Guid EventId, Guid UserId, DateTimeOffset ExpiresAt,
    DateTimeOffset OccurredAt) : IRecord
{
    public static string RecordType => "WaitlistOffered";
}

/// <summary>
/// A premium subscription's state changed as Stripe reported it (started, renewed, set to end, past due, ended), on
/// <see cref="Topics.PaymentsChanges"/> keyed by the user. The notifications feature's hook: nothing in Kinder consumes
/// it yet; premium itself is read from the subscription row (<see cref="PremiumPolicy"/>), not from this event.
/// </summary>
public sealed record SubscriptionChangedIntegrationEvent(Guid UserId, Guid SubscriptionId, SubscriptionStatus Status,
    DateTimeOffset? CurrentPeriodEnd, bool CancelAtPeriodEnd, DateTimeOffset OccurredAt) : IRecord
{
    public static string RecordType => "SubscriptionChanged";
}

/// <summary>
/// A payment succeeded, failed or was refunded as Stripe reported it, on <see cref="Topics.PaymentsChanges"/> keyed by
/// the payer, written in the transaction that changed the payment (<see cref="StripeEventProcessor"/>): the payer's
/// <c>payment</c> notification. Each payment reaches each status once, so (payment, status) names the cause.
/// </summary>
public sealed record PaymentChangedIntegrationEvent(Guid PaymentId, Guid UserId, PaymentKind Kind, PaymentStatus Status,
    long AmountMinor, string Currency, Guid? EventId, DateTimeOffset OccurredAt) : IRecord
{
    public static string RecordType => "PaymentChanged";
}
