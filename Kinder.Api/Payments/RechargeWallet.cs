using System.Security.Claims;
using Kinder.Api.Infrastructure;
using Kinder.Api.Profiles;
using Kinder.Core;
using Kinder.Core.Data;
using Kinder.Core.Identity;
using Kinder.Core.Payments;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Stripe;

namespace Kinder.Api.Payments;

/// <summary>
/// Starts buying a credit pack: a pending payment and its Stripe PaymentIntent, whose client secret the client confirms
/// with. Credits are added only when Stripe's webhook says the payment succeeded. The same <c>Idempotency-Key</c> from
/// the same user is the same payment (and, through Kinder's own key to Stripe, the same PaymentIntent).
/// </summary>
public sealed class RechargeWallet(KinderDbContext db, StripeGateway stripe, IOptions<PaymentsOptions> products,
    TimeProvider time, ILogger<RechargeWallet> logger)
{
    public async Task<Results<Created<RechargeResponse>, ProblemHttpResult>> HandleAsync(RechargeArguments arguments,
        ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        var userId = principal.GetUserId();
        var email = await db.Users.Where(u => u.Id == userId && u.DeletedAt == null).Select(u => u.Email)
            .FirstOrDefaultAsync(cancellationToken);
        if (email is null)
        {
            return CurrentUser.Gone();
        }
        var product = products.Value.Find(arguments.Request.ProductId)!;
        var payment = await RecordAsync(userId, product, arguments.IdempotencyKey, cancellationToken);
        if (payment.ProductId != product.Id)
        {
            return Problems.Conflict(ErrorCodes.Conflict, "This Idempotency-Key was used for another request.");
        }

        PaymentIntent intent;
        try
        {
            intent = payment.StripePaymentIntentId is { } intentId
                ? await new PaymentIntentService(stripe.Client).GetAsync(intentId, cancellationToken: cancellationToken)
                : await stripe.CreatePaymentIntentAsync(payment,
                    await stripe.EnsureCustomerAsync(db, userId, email, time.GetUtcNow(), cancellationToken),
                    $"Kinder: {product.Name}", cancellationToken);
        }
        catch (StripeException exception)
        {
            // The payment stays pending without an intent (not listed); the same Idempotency-Key picks it up again.
            logger.LogWarning("Stripe refused or failed the PaymentIntent of payment {PaymentId}: {Message}", payment.Id,
                exception.Message);
            return Problems.Create(StatusCodes.Status503ServiceUnavailable, ErrorCodes.ServiceUnavailable,
                "Payments are unavailable right now; try again with the same Idempotency-Key.");
        }
        await db.Payments.Where(p => p.Id == payment.Id && p.StripePaymentIntentId == null)
            .ExecuteUpdateAsync(p => p.SetProperty(x => x.StripePaymentIntentId, intent.Id), cancellationToken);

        var status = await db.Payments.Where(p => p.Id == payment.Id).Select(p => p.Status).FirstAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/payments/transactions/{payment.Id}",
            new RechargeResponse(payment.Id, intent.ClientSecret, status, payment.AmountMinor, payment.Currency, payment.Credits));
    }

    /// <summary>The pending payment: a new one, or the one this user's Idempotency-Key already made.</summary>
    private async Task<Payment> RecordAsync(Guid userId, PaymentProduct product, string? idempotencyKey,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var payment = new Payment
        {
            UserId = userId, Kind = PaymentKind.Recharge, AmountMinor = product.PriceMinor,
            Currency = product.Currency.ToUpperInvariant(), Credits = product.Credits ?? 0, ProductId = product.Id,
            IdempotencyKey = string.IsNullOrEmpty(idempotencyKey) ? null : idempotencyKey, CreatedAt = now, UpdatedAt = now,
        };
        if (payment.IdempotencyKey is null)
        {
            db.Payments.Add(payment);
            await db.SaveChangesAsync(cancellationToken);
            return payment;
        }
        // Two requests with one key at once: one row, whichever inserts first.
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO payments (id, user_id, kind, status, amount_minor, currency, credits, product_id, idempotency_key,
                                  created_at, updated_at)
            VALUES ({payment.Id}, {userId}, {nameof(PaymentKind.Recharge)}, {nameof(PaymentStatus.Pending)},
                    {payment.AmountMinor}, {payment.Currency}, {payment.Credits}, {payment.ProductId},
                    {payment.IdempotencyKey}, {now}, {now})
            ON CONFLICT (user_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
            """, cancellationToken);
        return await db.Payments.AsNoTracking()
            .FirstAsync(p => p.UserId == userId && p.IdempotencyKey == payment.IdempotencyKey, cancellationToken);
    }
}
