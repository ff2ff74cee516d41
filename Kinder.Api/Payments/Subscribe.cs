using System.Security.Claims;
using Kinder.Api.Infrastructure;
using Kinder.Api.Profiles;
using Kinder.Core;
using Kinder.Core.Data;
using Kinder.Core.Payments;
using Kinder.Core.Profiles;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Stripe;
using Subscription = Kinder.Core.Payments.Subscription;

namespace Kinder.Api.Payments;

/// <summary>
/// Starts premium: a Kinder subscription row (under the user's wallet lock, so two requests make one), then its Stripe
/// subscription, <c>incomplete</c> until the client confirms the first invoice's PaymentIntent with the returned client
/// secret. Premium begins when Stripe's webhooks say the invoice was paid. Asking again while it is incomplete answers
/// the same subscription; a user who already has a live one gets <c>409</c>.
/// </summary>
public sealed class Subscribe(KinderDbContext db, StripeGateway stripe, IOptions<PaymentsOptions> products,
    TimeProvider time, ILogger<Subscribe> logger)
{
    public async Task<Results<Created<SubscribeResponse>, ProblemHttpResult>> HandleAsync(SubscribeRequest request,
        ClaimsPrincipal principal, CancellationToken cancellationToken)
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
        var product = products.Value.Find(request.ProductId)!;
        var now = time.GetUtcNow();
        var subscription = await db.InTransactionAsync(async token =>
        {
            await db.LockWalletAsync(userId, now, token);
            var open = await db.Subscriptions.Where(s => s.UserId == userId &&
                    (s.Status == SubscriptionStatus.Incomplete || s.Status == SubscriptionStatus.Active ||
                     s.Status == SubscriptionStatus.Trialing || s.Status == SubscriptionStatus.PastDue))
                .OrderByDescending(s => s.CreatedAt).FirstOrDefaultAsync(token);
            if (open is not null)
            {
                return open;
            }
            var created = new Subscription { UserId = userId, ProductId = product.Id, CreatedAt = now, UpdatedAt = now };
            db.Subscriptions.Add(created);
            await db.SaveChangesAsync(token);
            return created;
        }, cancellationToken);
        if (subscription.IsLive)
        {
            return Problems.Conflict(ErrorCodes.Conflict, "You already have premium: GET /payments/subscription shows it.");
        }
        if (subscription.ProductId != product.Id)
        {
            return Problems.Conflict(ErrorCodes.Conflict,
                "A subscription to another plan is waiting for its first payment: cancel it first (DELETE /payments/subscription).");
        }

        string? clientSecret;
        try
        {
            if (subscription.StripeSubscriptionId is { } existing)
            {
                clientSecret = await stripe.OpenInvoiceSecretAsync(existing, cancellationToken);
            }
            else
            {
                var customerId = await stripe.EnsureCustomerAsync(db, userId, email, now, cancellationToken);
                var created = await stripe.CreateSubscriptionAsync(subscription, customerId, product.StripePriceId!,
                    cancellationToken);
                clientSecret = created.LatestInvoice?.ConfirmationSecret?.ClientSecret;
                await db.Subscriptions.Where(s => s.Id == subscription.Id && s.StripeSubscriptionId == null)
                    .ExecuteUpdateAsync(s => s.SetProperty(x => x.StripeSubscriptionId, created.Id), cancellationToken);
            }
        }
        catch (StripeException exception)
        {
            // The row stays incomplete without a Stripe subscription; asking again picks it up (same idempotency key).
            logger.LogWarning("Stripe refused or failed subscription {SubscriptionId}: {Message}", subscription.Id,
                exception.Message);
            return PaymentsUnavailable.Problem();
        }
        return TypedResults.Created("/api/v1/payments/subscription",
            new SubscribeResponse(subscription.Id, clientSecret, SubscriptionStatus.Incomplete));
    }
}
