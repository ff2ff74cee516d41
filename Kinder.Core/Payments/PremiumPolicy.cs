using Kinder.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kinder.Core.Payments;

/// <summary>What a user's subscription entitles them to, at a moment.</summary>
public sealed record Entitlements(bool Premium, IReadOnlyList<string> Features, DateTimeOffset? Until)
{
    public static readonly Entitlements Free = new(false, [], null);
}

/// <summary>
/// The one place premium is decided: entitlements derive from the user's subscription as Stripe last reported it —
/// <c>active</c> (or <c>trialing</c>) is premium until Stripe says otherwise; <c>past_due</c> stays premium for
/// <see cref="PremiumOptions.GracePeriod"/> from when it became past due; anything else is free. Every check of a
/// premium feature goes through here (today: <see cref="MayCreateEventAsync"/>).
/// </summary>
public sealed class PremiumPolicy(KinderDbContext db, IOptions<PremiumOptions> options)
{
    /// <summary>The feature premium unlocks: more events a month (<see cref="PremiumOptions.PremiumEventsPer30Days"/>).</summary>
    public const string MoreEvents = "more_events";

    public static readonly IReadOnlyList<string> PremiumFeatures = [MoreEvents];

    private static readonly TimeSpan EventWindow = TimeSpan.FromDays(30);

    public async Task<Entitlements> ForUserAsync(Guid userId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var subscriptions = await db.Subscriptions.AsNoTracking()
            .Where(s => s.UserId == userId && (s.Status == SubscriptionStatus.Active || s.Status == SubscriptionStatus.Trialing ||
                s.Status == SubscriptionStatus.PastDue))
            .ToListAsync(cancellationToken);
        return subscriptions.Select(s => Evaluate(s, now)).OrderByDescending(e => e.Premium).FirstOrDefault() ?? Entitlements.Free;
    }

    /// <summary>One subscription's entitlements at <paramref name="now"/>.</summary>
    public Entitlements Evaluate(Subscription subscription, DateTimeOffset now) => subscription.Status switch
    {
        SubscriptionStatus.Active or SubscriptionStatus.Trialing =>
            new Entitlements(true, PremiumFeatures, subscription.CurrentPeriodEnd),
        SubscriptionStatus.PastDue when subscription.PastDueSince is { } since && now < since + options.Value.GracePeriod =>
            new Entitlements(true, PremiumFeatures, since + options.Value.GracePeriod),
        _ => Entitlements.Free,
    };

    /// <summary>How many events the user may still create now (their 30-day allowance minus what they created).</summary>
    public async Task<(bool Allowed, int Limit, bool Premium)> MayCreateEventAsync(Guid userId, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var entitlements = await ForUserAsync(userId, now, cancellationToken);
        var limit = entitlements.Features.Contains(MoreEvents)
            ? options.Value.PremiumEventsPer30Days : options.Value.FreeEventsPer30Days;
        var since = now - EventWindow;
        var created = await db.Events.CountAsync(e => e.OrganizerId == userId && e.CreatedAt > since, cancellationToken);
        return (created < limit, limit, entitlements.Premium);
    }
}
