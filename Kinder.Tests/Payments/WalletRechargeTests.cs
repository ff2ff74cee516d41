using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kinder.Api.Payments;
using Kinder.Core.Payments;
using Kinder.StripeFake;
using Kinder.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Stripe;

namespace Kinder.Tests.Payments;

/// <summary>
/// Recharges through Stripe.net against the Stripe fake: credits arrive with the webhook exactly once, whatever the
/// redelivery; a bad signature or a declined card adds nothing; and the ledger always sums to the balance.
/// </summary>
public sealed class WalletRechargeTests(PaymentsStack stack) : IClassFixture<PaymentsStack>
{
    internal const string Pack = "credits-100";

    [Fact]
    public async Task Products_come_from_configuration()
    {
        var (_, client) = await stack.NewUserAsync();
        var products = await client.GetFromJsonAsync<JsonElement>("/api/v1/payments/products");
        var items = products.GetProperty("items").EnumerateArray().ToList();
        var pack = items.Single(item => item.GetProperty("id").GetString() == Pack);
        Assert.Equal("credits", pack.GetProperty("kind").GetString());
        Assert.Equal(100, pack.GetProperty("credits").GetInt64());
        Assert.Equal(499, pack.GetProperty("priceMinor").GetInt64());
        Assert.Contains(items, item => item.GetProperty("kind").GetString() == "subscription");
    }

    [Fact]
    public async Task A_recharge_credits_the_wallet_once_when_the_webhook_comes_three_times_and_twice_at_once()
    {
        var (user, client) = await stack.NewUserAsync();
        var key = Guid.NewGuid().ToString();
        var first = await RechargeAsync(client, key);
        var again = await RechargeAsync(client, key); // a retried request is the same payment and intent
        Assert.Equal(first.PaymentId, again.PaymentId);
        Assert.Equal(first.ClientSecret, again.ClientSecret);
        Assert.Equal(PaymentStatus.Pending, first.Status);
        Assert.Equal(0, await PaymentsStack.BalanceAsync(client));

        var intentId = IntentId(first.ClientSecret);
        var confirmed = await new PaymentIntentService(stack.StripeClient).ConfirmAsync(intentId,
            new PaymentIntentConfirmOptions { PaymentMethod = StripeObjects.CardVisa });
        Assert.Equal("succeeded", confirmed.Status);

        var succeeded = await WaitForEventAsync("payment_intent.succeeded", intentId);
        // Stripe's retries and a concurrent double delivery of the same event: each is acknowledged.
        var statuses = await Task.WhenAll(stack.Stripe.RedeliverAsync(succeeded), stack.Stripe.RedeliverAsync(succeeded));
        statuses = [.. statuses, await stack.Stripe.RedeliverAsync(succeeded)];
        Assert.All(statuses, status => Assert.Equal(200, status));

        await stack.EventuallyAsync(async () => await PaymentsStack.BalanceAsync(client) == 100, "100 credits");
        await WaitUntilProcessedAsync(intentId);
        Assert.Equal(100, await PaymentsStack.BalanceAsync(client));
        await using var db = stack.Db();
        Assert.Single(await db.CreditEntries.Where(e => e.UserId == user.Id).ToListAsync());
        Assert.Equal(1, await db.StripeEvents.CountAsync(e => e.Id == succeeded));

        var history = await client.GetFromJsonAsync<JsonElement>("/api/v1/payments/transactions");
        var item = Assert.Single(history.GetProperty("items").EnumerateArray());
        Assert.Equal("recharge", item.GetProperty("kind").GetString());
        Assert.Equal("succeeded", item.GetProperty("status").GetString());
        Assert.Equal(100, item.GetProperty("credits").GetInt64());
        Assert.True(item.TryGetProperty("receiptUrl", out var receipt), item.ToString());
        Assert.StartsWith("https://", receipt.GetString());
        // One receipt email, with Stripe's receipt URL, whatever the redelivery.
        var receipts = await stack.ReceiptEmailsAsync(user.Email);
        var email = Assert.Single(receipts);
        Assert.Contains(receipt.GetString()!, email);
        await stack.AssertLedgerSumsToBalanceAsync();
    }

    [Fact]
    public async Task Handling_the_same_stored_event_concurrently_credits_once()
    {
        var (user, client) = await stack.NewUserAsync();
        var recharge = await RechargeAsync(client, key: null);
        var intentId = IntentId(recharge.ClientSecret);
        await new PaymentIntentService(stack.StripeClient).ConfirmAsync(intentId,
            new PaymentIntentConfirmOptions { PaymentMethod = StripeObjects.CardVisa });
        var succeeded = await WaitForEventAsync("payment_intent.succeeded", intentId);
        await stack.EventuallyAsync(async () =>
        {
            await using var db = stack.Db();
            return await db.StripeEvents.AnyAsync(e => e.Id == succeeded);
        }, "the event stored");

        // As if Kafka handed the record to two consumers at once, besides Workers' own handling.
        await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            await using var scope = stack.Api.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<StripeEventProcessor>().ProcessAsync(succeeded, CancellationToken.None);
        }));
        await WaitUntilProcessedAsync(intentId);
        Assert.Equal(100, await PaymentsStack.BalanceAsync(client));
        await using var check = stack.Db();
        Assert.Equal(1, await check.CreditEntries.CountAsync(e => e.UserId == user.Id));
    }

    [Fact]
    public async Task A_bad_signature_is_400_and_changes_nothing()
    {
        var (_, client) = await stack.NewUserAsync();
        var recharge = await RechargeAsync(client, key: null);
        var intentId = IntentId(recharge.ClientSecret);
        var intent = stack.Stripe.Objects.Find(intentId)!;
        intent["status"] = "succeeded";
        var forgedId = StripeIds.New("evt");
        var forged = new JsonObject
        {
            ["id"] = forgedId, ["object"] = "event", ["api_version"] = stack.StripeOptions.ApiVersion,
            ["created"] = StripeIds.Now(), ["livemode"] = false, ["type"] = "payment_intent.succeeded",
            ["data"] = new JsonObject { ["object"] = intent },
        }.ToJsonString();
        var now = StripeIds.Now();
        var api = stack.Api.CreateClient();

        foreach (var signature in new[]
                 {
                     WebhookSender.Sign("whsec_not_the_configured_one", now, forged), // another secret
                     WebhookSender.Sign(stack.StripeOptions.WebhookSecret, now - 301, forged), // too old
                     WebhookSender.Sign(stack.StripeOptions.WebhookSecret, now, forged + " "), // another body
                     "garbage",
                     "",
                 })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, PaymentsApi.WebhookPath)
            {
                Content = new StringContent(forged, Encoding.UTF8, "application/json"),
            };
            request.Headers.TryAddWithoutValidation("Stripe-Signature", signature);
            var response = await api.SendAsync(request);
            await ProblemAssertions.AssertProblemAsync(response, HttpStatusCode.BadRequest, "BAD_REQUEST");
        }

        await using var db = stack.Db();
        Assert.False(await db.StripeEvents.AnyAsync(e => e.Id == forgedId));
        Assert.Equal(PaymentStatus.Pending, (await db.Payments.SingleAsync(p => p.Id == recharge.PaymentId)).Status);
        Assert.Equal(0, await PaymentsStack.BalanceAsync(client));
    }

    [Fact]
    public async Task A_declined_card_adds_nothing_and_records_the_failure()
    {
        var (_, client) = await stack.NewUserAsync();
        var recharge = await RechargeAsync(client, key: null);
        var intentId = IntentId(recharge.ClientSecret);
        var declined = await Assert.ThrowsAsync<StripeException>(() => new PaymentIntentService(stack.StripeClient)
            .ConfirmAsync(intentId, new PaymentIntentConfirmOptions { PaymentMethod = StripeObjects.CardDeclined }));
        Assert.Equal("card_declined", declined.StripeError.Code);

        await stack.EventuallyAsync(async () =>
            (await client.GetFromJsonAsync<JsonElement>($"/api/v1/payments/transactions/{recharge.PaymentId}"))
            .GetProperty("status").GetString() == "failed", "the payment failed");
        var payment = await client.GetFromJsonAsync<JsonElement>($"/api/v1/payments/transactions/{recharge.PaymentId}");
        Assert.Equal("generic_decline", payment.GetProperty("failureCode").GetString());
        await WaitUntilProcessedAsync(intentId);
        Assert.Equal(0, await PaymentsStack.BalanceAsync(client));
        await stack.AssertLedgerSumsToBalanceAsync();
    }

    [Fact]
    public async Task An_idempotency_key_reused_for_another_pack_is_a_conflict()
    {
        var (_, client) = await stack.NewUserAsync();
        var key = Guid.NewGuid().ToString();
        await RechargeAsync(client, key);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/payments/wallet/recharge")
        {
            Content = JsonContent.Create(new { productId = "credits-250" }),
        };
        request.Headers.Add("Idempotency-Key", key);
        await ProblemAssertions.AssertProblemAsync(await client.SendAsync(request), HttpStatusCode.Conflict, "CONFLICT");
    }

    [Fact]
    public async Task An_unknown_product_is_a_validation_error()
    {
        var (_, client) = await stack.NewUserAsync();
        var response = await client.PostAsJsonAsync("/api/v1/payments/wallet/recharge", new { productId = "premium-monthly" });
        await ProblemAssertions.AssertProblemAsync(response, HttpStatusCode.BadRequest, "VALIDATION_FAILED");
    }

    internal static async Task<RechargeResponse> RechargeAsync(HttpClient client, string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/payments/wallet/recharge")
        {
            Content = JsonContent.Create(new { productId = Pack }),
        };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<RechargeResponse>(ApiJson))!;
    }

    private static readonly JsonSerializerOptions ApiJson = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    internal static string IntentId(string clientSecret) => clientSecret[..clientSecret.IndexOf("_secret_", StringComparison.Ordinal)];

    private async Task<string> WaitForEventAsync(string type, string intentId)
    {
        string? id = null;
        await stack.EventuallyAsync(() =>
        {
            id = stack.Stripe.Objects.Events.FirstOrDefault(e => (string?)e["type"] == type &&
                (string?)e["data"]!["object"]!["id"] == intentId)?["id"]?.GetValue<string>();
            return Task.FromResult(id is not null);
        }, $"{type} for {intentId}");
        return id!;
    }

    /// <summary>Every event the fake made about this intent is stored and handled.</summary>
    private async Task WaitUntilProcessedAsync(string intentId)
    {
        var ids = stack.Stripe.Objects.Events.Where(e => e.ToJsonString().Contains(intentId))
            .Select(e => (string)e["id"]!).ToList();
        await stack.EventuallyAsync(async () =>
        {
            await using var db = stack.Db();
            return await db.StripeEvents.CountAsync(e => ids.Contains(e.Id) && e.ProcessedAt != null) == ids.Count;
        }, $"the events of {intentId} handled");
    }
}
