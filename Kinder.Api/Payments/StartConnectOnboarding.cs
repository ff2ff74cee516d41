using System.Security.Claims;
using Kinder.Api.Infrastructure;
using Kinder.Api.Profiles;
using Kinder.Core;
using Kinder.Core.Data;
using Kinder.Core.Payments;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Stripe;

namespace Kinder.Api.Payments;

/// <summary>
/// An organizer's way to be paid: their Stripe Connect Express account (made once) and a fresh onboarding link to
/// Stripe's hosted form. Stripe's <c>account.updated</c> tells Kinder when the account can receive payouts.
/// </summary>
public sealed class StartConnectOnboarding(KinderDbContext db, StripeGateway stripe, IOptions<PaymentsOptions> payments,
    TimeProvider time, ILogger<StartConnectOnboarding> logger)
{
    public async Task<Results<Ok<ConnectOnboardingResponse>, ProblemHttpResult>> HandleAsync(ClaimsPrincipal principal,
        CancellationToken cancellationToken)
    {
        if (await db.FindCurrentUserAsync(principal, cancellationToken) is not { } user)
        {
            return CurrentUser.Gone();
        }
        if (!stripe.IsConfigured)
        {
            return PaymentsUnavailable.Problem();
        }
        var (userId, email) = (user.Id, user.Email);
        try
        {
            var accountId = await stripe.EnsureConnectAccountAsync(db, userId, email, time.GetUtcNow(), cancellationToken);
            var link = await stripe.CreateOnboardingLinkAsync(accountId, payments.Value, cancellationToken);
            return TypedResults.Ok(new ConnectOnboardingResponse(link.Url));
        }
        catch (StripeException exception)
        {
            logger.LogWarning("Stripe refused or failed Connect onboarding for {UserId}: {Message}", userId, exception.Message);
            return PaymentsUnavailable.Problem();
        }
    }
}
