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
