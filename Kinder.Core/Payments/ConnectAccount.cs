namespace Kinder.Core.Payments;

/// <summary>
/// An organizer's Stripe Connect Express account, made once on the first onboarding request. Its flags mirror
/// Stripe's <c>account.updated</c>; card tickets of the organizer's events become destination charges once
/// <see cref="CanReceive"/>.
/// </summary>
public sealed class ConnectAccount
{
    public Guid UserId { get; init; }
    public required string StripeAccountId { get; init; }
    public bool ChargesEnabled { get; set; }
    public bool PayoutsEnabled { get; set; }
    public bool DetailsSubmitted { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Stripe can route a charge's share to it and pay it out.</summary>
    public bool CanReceive => ChargesEnabled && PayoutsEnabled;
}
