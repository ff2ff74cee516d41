namespace Kinder.Core.Payments;

/// <summary>Stripe's subscription statuses, as Kinder stores them.</summary>
public enum SubscriptionStatus { Incomplete, IncompleteExpired, Trialing, Active, PastDue, Canceled, Unpaid, Paused }

/// <summary>
/// A user's premium subscription: the row is made before Kinder asks Stripe for it (its id is the Stripe call's
/// idempotency key) and then mirrors what Stripe last said about it — Kinder never decides a status itself.
/// </summary>
public sealed class Subscription
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid UserId { get; init; }
    public required string ProductId { get; init; }
    public string? StripeSubscriptionId { get; set; }
    public SubscriptionStatus Status { get; set; } = SubscriptionStatus.Incomplete;
    public DateTimeOffset? CurrentPeriodEnd { get; set; }
    public bool CancelAtPeriodEnd { get; set; }

    /// <summary>When Kinder first saw it <c>past_due</c>: premium stays for the grace period from then.</summary>
    public DateTimeOffset? PastDueSince { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Statuses in which a user has a subscription and may not start another.</summary>
    public bool IsLive => Status is SubscriptionStatus.Active or SubscriptionStatus.Trialing or SubscriptionStatus.PastDue;

    public string StripeIdempotencyKey => $"kinder-subscription-{Id:N}";
}
