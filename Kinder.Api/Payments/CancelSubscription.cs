using System.Security.Claims;
using Kinder.Api.Infrastructure;
using Kinder.Core;
using Kinder.Core.Data;
using Kinder.Core.Identity;
using Kinder.Core.Payments;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Stripe;

namespace Kinder.Api.Payments;

/// <summary>
/// Cancels premium at the end of the paid period (Stripe keeps it active until then and deletes it after); a
/// subscription whose first invoice was never paid ends at once. Kinder's row shows the request at once; Stripe's
/// webhook confirms it.
/// </summary>
public sealed class CancelSubscription(KinderDbContext db, StripeGateway stripe, TimeProvider time,
    ILogger<CancelSubscription> logger)
{
    public async Task<Results<Ok<SubscriptionResponse>, ProblemHttpResult>> HandleAsync(ClaimsPrincipal principal,
        CancellationToken cancellationToken)
    {
        var userId = principal.GetUserId();
        var subscription = await db.Subscriptions.Where(s => s.UserId == userId && s.StripeSubscriptionId != null &&
                (s.Status == SubscriptionStatus.Incomplete || s.Status == SubscriptionStatus.Active ||
                 s.Status == SubscriptionStatus.Trialing || s.Status == SubscriptionStatus.PastDue))
            .OrderByDescending(s => s.CreatedAt).FirstOrDefaultAsync(cancellationToken);
        if (subscription is null)
        {
            return Problems.NotFound("You have no subscription to cancel.");
        }
        if (!stripe.IsConfigured)
        {
            return PaymentsUnavailable.Problem();
        }
        try
        {
            if (subscription.IsLive)
            {
                await stripe.CancelAtPeriodEndAsync(subscription.StripeSubscriptionId!, cancellationToken);
                subscription.CancelAtPeriodEnd = true;
            }
            else
            {
                await stripe.CancelNowAsync(subscription.StripeSubscriptionId!, cancellationToken);
                subscription.Status = SubscriptionStatus.Canceled;
            }
        }
        catch (StripeException exception)
        {
            logger.LogWarning("Stripe refused or failed cancelling subscription {SubscriptionId}: {Message}",
                subscription.Id, exception.Message);
            return PaymentsUnavailable.Problem();
        }
        subscription.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(SubscriptionResponse.From(subscription));
    }
}
