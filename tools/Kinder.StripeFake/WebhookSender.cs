using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Kinder.StripeFake;

/// <summary>
/// Delivers events the way Stripe does: a JSON POST with <c>Stripe-Signature: t={unix},v1={hex HMAC-SHA256 of
/// "{t}.{body}" keyed by the endpoint secret}</c>, retried with backoff until answered 2xx.
/// </summary>
public sealed class WebhookSender(StripeFakeOptions options, HttpClient http, ILogger logger)
{
    public static string Sign(string secret, long timestamp, string payload)
    {
        var stamp = timestamp.ToString(CultureInfo.InvariantCulture);
        var hash = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{stamp}.{payload}"));
        return $"t={stamp},v1={Convert.ToHexStringLower(hash)}";
    }

    /// <summary>One delivery attempt; the status Kinder answered (0 when it could not be reached or none is set).</summary>
    public async Task<int> DeliverOnceAsync(JsonObject stripeEvent, CancellationToken cancellationToken = default)
    {
        if (options.WebhookUrl is not { Length: > 0 } url)
        {
            return 0;
        }
        var payload = stripeEvent.ToJsonString();
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(payload, Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Stripe-Signature", Sign(options.WebhookSecret, StripeIds.Now(), payload));
        request.Headers.UserAgent.ParseAdd("Stripe/1.0 (+https://stripe.com/docs/webhooks)");
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            return (int)response.StatusCode;
        }
        catch (HttpRequestException exception)
        {
            logger.LogWarning("Webhook {Url} unreachable: {Message}", url, exception.Message);
            return 0;
        }
    }

    /// <summary>In the background, retried (1 s, 2 s, 4 s, …) until 2xx or the attempts are spent.</summary>
    public void Deliver(JsonObject stripeEvent, CancellationToken stopping) => _ = Task.Run(async () =>
    {
        for (var attempt = 1; attempt <= options.DeliveryAttempts && !stopping.IsCancellationRequested; attempt++)
        {
            var status = await DeliverOnceAsync(stripeEvent, stopping);
            logger.LogInformation("Delivered {Type} {EventId} (attempt {Attempt}): {Status}",
                stripeEvent["type"]?.GetValue<string>(), stripeEvent["id"]?.GetValue<string>(), attempt, status);
            if (status is >= 200 and < 300 || options.WebhookUrl is null)
            {
                return;
            }
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(1 << (attempt - 1)), stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }, CancellationToken.None);
}
