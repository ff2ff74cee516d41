using System.Text;
using Kinder.Api.Infrastructure;
using Kinder.Core;
using Kinder.Core.Data;
using Kinder.Core.Outbox;
using Kinder.Core.Payments;
using Kinder.Core.Profiles;
using Kinder.Messaging;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Stripe;

namespace Kinder.Api.Payments;

/// <summary>
/// Stripe's webhook. The signature is checked with Stripe.net (<c>EventUtility</c>, the configured secret and Stripe's
/// recommended tolerance); the event is stored once by its id and, in the same transaction, handed to Workers through
/// the outbox. Nothing else happens here, so Stripe is answered at once; a repeated or concurrent delivery of the same
/// event finds it stored and adds nothing.
/// </summary>
public sealed class ReceiveStripeWebhook(KinderDbContext db, IOptions<StripeOptions> options, TimeProvider time,
    ILogger<ReceiveStripeWebhook> logger)
{
    public async Task<Results<Ok, ProblemHttpResult>> HandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        string payload;
        using (var reader = new StreamReader(request.Body, Encoding.UTF8))
        {
            payload = await reader.ReadToEndAsync(cancellationToken);
        }
        var settings = options.Value;
        Event stripeEvent;
        try
        {
            // The API version is the webhook endpoint's (set in Stripe's dashboard); Kinder reads only stable fields.
            stripeEvent = EventUtility.ConstructEvent(payload, request.Headers["Stripe-Signature"].ToString(),
                settings.WebhookSecret, settings.WebhookToleranceSeconds, time.GetUtcNow().ToUnixTimeSeconds(),
                throwOnApiVersionMismatch: false);
        }
        catch (Exception exception) when (exception is StripeException or ArgumentException or FormatException
                                              or OverflowException or System.Text.Json.JsonException
                                              or KeyNotFoundException or InvalidOperationException)
        {
            logger.LogWarning("Refused a Stripe webhook: {Message}", exception.Message);
            return Problems.Create(StatusCodes.Status400BadRequest, ErrorCodes.BadRequest, "The Stripe signature does not verify.");
        }
        if (string.IsNullOrEmpty(settings.WebhookSecret) || string.IsNullOrEmpty(stripeEvent.Id) ||
            string.IsNullOrEmpty(stripeEvent.Type))
        {
            return Problems.Create(StatusCodes.Status400BadRequest, ErrorCodes.BadRequest, "Not a Stripe event.");
        }

        await db.InTransactionAsync(async token =>
        {
            var stored = await db.Database.ExecuteSqlAsync($"""
                INSERT INTO stripe_events (id, type, payload, received_at) VALUES ({stripeEvent.Id}, {stripeEvent.Type},
                    CAST({payload} AS jsonb), {time.GetUtcNow()})
                ON CONFLICT DO NOTHING
                """, token);
            if (stored > 0)
            {
                db.AddIntegrationEvent(Topics.Payments, stripeEvent.Id,
                    new StripeEventReceivedIntegrationEvent(stripeEvent.Id, stripeEvent.Type));
                await db.SaveChangesAsync(token);
            }
            return stored;
        }, cancellationToken);
        return TypedResults.Ok();
    }
}
