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
/// A premium subscription's state changed as Stripe reported it (started, renewed, set to end, past due, ended), on
/// <see cref="Topics.PaymentsChanges"/> keyed by the user. The notifications feature's hook: nothing in Kinder consumes
/// it yet; premium itself is read from the subscription row (<see cref="PremiumPolicy"/>), not from this event.
/// </summary>
public sealed record SubscriptionChangedIntegrationEvent(Guid UserId, Guid SubscriptionId, SubscriptionStatus Status,
    DateTimeOffset? CurrentPeriodEnd, bool CancelAtPeriodEnd, DateTimeOffset OccurredAt) : IRecord
{
    public static string RecordType => "SubscriptionChanged";
}
