using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Kinder.Core.Payments;
using Kinder.StripeFake;
using Kinder.Tests.Events;
using Kinder.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Stripe;

namespace Kinder.Tests.Payments;

/// <summary>
/// Premium through Stripe.net against the fake: subscribing, paying the first invoice, cancelling at period end, losing
/// premium when the period ends, a failed renewal's grace period, and the one thing premium unlocks (more events).
/// </summary>
public sealed class PremiumTests(PaymentsStack stack) : IClassFixture<PaymentsStack>
{
    private const string Plan = "premium-monthly";

    [Fact]
    public async Task A_subscription_becomes_premium_cancels_at_period_end_and_loses_premium_when_it_ends()
    {
        var (user, client) = await stack.NewUserAsync();
        var started = await SubscribeAsync(client);
        Assert.Equal("incomplete", started.GetProperty("status").GetString());
        Assert.Equal("none", (await SubscriptionAsync(client)).GetProperty("status").GetString());
        Assert.False((await EntitlementsAsync(client)).GetProperty("premium").GetBoolean());

        // Asking again before paying answers the same subscription and invoice.
        var again = await SubscribeAsync(client);
        Assert.Equal(started.GetProperty("subscriptionId").GetGuid(), again.GetProperty("subscriptionId").GetGuid());
        Assert.Equal(started.GetProperty("clientSecret").GetString(), again.GetProperty("clientSecret").GetString());

        await PayFirstInvoiceAsync(started);
        await stack.EventuallyAsync(async () => (await EntitlementsAsync(client)).GetProperty("premium").GetBoolean(),
            "premium after the first invoice was paid");
        var entitlements = await EntitlementsAsync(client);
        Assert.Contains(PremiumPolicy.MoreEvents, entitlements.GetProperty("features").EnumerateArray().Select(f => f.GetString()));
        Assert.True(entitlements.GetProperty("until").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddDays(27));
        var subscription = await SubscriptionAsync(client);
        Assert.Equal("active", subscription.GetProperty("status").GetString());
        Assert.Equal(Plan, subscription.GetProperty("productId").GetString());
        Assert.False(subscription.GetProperty("cancelAtPeriodEnd").GetBoolean());
        await ProblemAssertions.AssertProblemAsync(
            await client.PostAsJsonAsync("/api/v1/payments/subscription", new { productId = Plan }),
            HttpStatusCode.Conflict, "CONFLICT");

        // The paid invoice is in the history, once.
        await stack.EventuallyAsync(async () => (await TransactionsAsync(client)).Any(t =>
            t.GetProperty("kind").GetString() == "subscription" && t.GetProperty("status").GetString() == "succeeded"),
            "the subscription payment in the history");
        Assert.Single(await TransactionsAsync(client), t => t.GetProperty("kind").GetString() == "subscription");
        Assert.Single(await stack.ReceiptEmailsAsync(user.Email)); // the invoice's receipt, once

        var cancelled = await client.DeleteAsync("/api/v1/payments/subscription");
        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        Assert.True((await SubscriptionAsync(client)).GetProperty("cancelAtPeriodEnd").GetBoolean());
        var stripeId = await StripeIdAsync(user.Id);
        await stack.EventuallyAsync(async () => (await new SubscriptionService(stack.StripeClient).GetAsync(stripeId))
            .CancelAtPeriodEnd, "Stripe set to cancel");
        await WaitUntilAllHandledAsync();
        Assert.True((await EntitlementsAsync(client)).GetProperty("premium").GetBoolean()); // paid until the period ends
        Assert.Equal("active", (await SubscriptionAsync(client)).GetProperty("status").GetString());

        await AdvanceAsync(stripeId, paid: true); // the period ends
        await stack.EventuallyAsync(async () => (await SubscriptionAsync(client)).GetProperty("status").GetString() == "canceled",
            "canceled when the period ended");
        Assert.False((await EntitlementsAsync(client)).GetProperty("premium").GetBoolean());
        await ProblemAssertions.AssertProblemAsync(await client.DeleteAsync("/api/v1/payments/subscription"),
            HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [Fact]
    public async Task A_failed_renewal_is_past_due_and_keeps_premium_only_for_the_grace_period()
    {
        var (user, client) = await stack.NewUserAsync();
        await PayFirstInvoiceAsync(await SubscribeAsync(client));
        await stack.EventuallyAsync(async () => (await EntitlementsAsync(client)).GetProperty("premium").GetBoolean(),
            "premium after the first invoice was paid");
        var stripeId = await StripeIdAsync(user.Id);

        await AdvanceAsync(stripeId, paid: false); // the renewal's card is declined: invoice.payment_failed, past_due
        await stack.EventuallyAsync(async () => (await SubscriptionAsync(client)).GetProperty("status").GetString() == "past_due",
            "past_due after the failed renewal");
        Assert.True((await EntitlementsAsync(client)).GetProperty("premium").GetBoolean());

        await using (var db = stack.Db())
        {
            var row = await db.Subscriptions.SingleAsync(s => s.UserId == user.Id);
            var since = row.PastDueSince!.Value;
            using var scope = stack.Api.Services.CreateScope();
            var policy = scope.ServiceProvider.GetRequiredService<PremiumPolicy>();
            Assert.True(policy.Evaluate(row, since + PremiumGrace - TimeSpan.FromSeconds(1)).Premium);
            Assert.False(policy.Evaluate(row, since + PremiumGrace + TimeSpan.FromSeconds(1)).Premium);
            Assert.Equal(since + PremiumGrace, policy.Evaluate(row, since).Until);
        }

        await AdvanceAsync(stripeId, paid: true); // Stripe's retry succeeds: active again
        await stack.EventuallyAsync(async () => (await SubscriptionAsync(client)).GetProperty("status").GetString() == "active",
            "active after the retried renewal was paid");
        await using (var db = stack.Db())
        {
            Assert.Null((await db.Subscriptions.SingleAsync(s => s.UserId == user.Id)).PastDueSince);
        }
        await stack.EventuallyAsync(async () =>
            (await TransactionsAsync(client)).Count(t => t.GetProperty("kind").GetString() == "subscription") == 2,
            "both paid invoices in the history");
    }

    [Fact]
    public async Task Premium_raises_the_number_of_events_one_may_create()
    {
        var (_, free) = await stack.NewUserAsync();
        for (var index = 0; index < PaymentsStack.FreeEventsPer30Days; index++)
        {
            await free.CreateEventAsync(EventsDriver.ValidEvent());
        }
        await ProblemAssertions.AssertProblemAsync(await free.PostAsJsonAsync("/api/v1/events", EventsDriver.ValidEvent()),
            HttpStatusCode.Forbidden, "EVENT_LIMIT_REACHED");

        var (_, premium) = await stack.NewUserAsync();
        await PayFirstInvoiceAsync(await SubscribeAsync(premium));
        await stack.EventuallyAsync(async () => (await EntitlementsAsync(premium)).GetProperty("premium").GetBoolean(),
            "premium after the first invoice was paid");
        for (var index = 0; index < PaymentsStack.PremiumEventsPer30Days; index++)
        {
            await premium.CreateEventAsync(EventsDriver.ValidEvent());
        }
        await ProblemAssertions.AssertProblemAsync(await premium.PostAsJsonAsync("/api/v1/events", EventsDriver.ValidEvent()),
            HttpStatusCode.Forbidden, "EVENT_LIMIT_REACHED");
    }

    [Fact]
    public async Task A_declined_first_invoice_gives_no_premium_and_the_subscription_can_be_dropped()
    {
        var (_, client) = await stack.NewUserAsync();
        var started = await SubscribeAsync(client);
        var secret = started.GetProperty("clientSecret").GetString()!;
        await Assert.ThrowsAsync<StripeException>(() => new PaymentIntentService(stack.StripeClient).ConfirmAsync(
            secret[..secret.IndexOf("_secret_", StringComparison.Ordinal)],
            new PaymentIntentConfirmOptions { PaymentMethod = StripeObjects.CardDeclined }));
        await WaitUntilAllHandledAsync();
        Assert.False((await EntitlementsAsync(client)).GetProperty("premium").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, (await client.DeleteAsync("/api/v1/payments/subscription")).StatusCode);
        Assert.Equal("canceled", (await SubscriptionAsync(client)).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/v1/payments/subscription",
            new { productId = Plan })).StatusCode); // a new attempt may start
    }

    [Fact]
    public async Task A_credit_pack_is_not_a_plan()
    {
        var (_, client) = await stack.NewUserAsync();
        await ProblemAssertions.AssertProblemAsync(
            await client.PostAsJsonAsync("/api/v1/payments/subscription", new { productId = "credits-100" }),
            HttpStatusCode.BadRequest, "VALIDATION_FAILED");
    }

    private static readonly TimeSpan PremiumGrace = PaymentsStack.PremiumGrace;

    private static async Task<JsonElement> SubscribeAsync(HttpClient client)
    {
        var response = await client.PostAsJsonAsync("/api/v1/payments/subscription", new { productId = Plan });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, text);
        return JsonDocument.Parse(text).RootElement;
    }

    private async Task PayFirstInvoiceAsync(JsonElement started)
    {
        var secret = started.GetProperty("clientSecret").GetString()!;
        var intent = await new PaymentIntentService(stack.StripeClient).ConfirmAsync(
            secret[..secret.IndexOf("_secret_", StringComparison.Ordinal)],
            new PaymentIntentConfirmOptions { PaymentMethod = StripeObjects.CardVisa });
        Assert.Equal("succeeded", intent.Status);
    }

    private static Task<JsonElement> SubscriptionAsync(HttpClient client) =>
        client.GetFromJsonAsync<JsonElement>("/api/v1/payments/subscription");

    private static Task<JsonElement> EntitlementsAsync(HttpClient client) =>
        client.GetFromJsonAsync<JsonElement>("/api/v1/payments/entitlements");

    private static async Task<List<JsonElement>> TransactionsAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonElement>("/api/v1/payments/transactions?limit=50"))
        .GetProperty("items").EnumerateArray().ToList();

    private async Task<string> StripeIdAsync(Guid userId)
    {
        await using var db = stack.Db();
        return (await db.Subscriptions.Where(s => s.UserId == userId).Select(s => s.StripeSubscriptionId).SingleAsync())!;
    }

    /// <summary>The fake's test-clock stand-in: ends the current period now (renewal paid or declined).</summary>
    private async Task AdvanceAsync(string stripeSubscriptionId, bool paid)
    {
        using var http = new HttpClient { BaseAddress = new Uri(stack.Stripe.Url) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", stack.StripeOptions.ApiKey);
        var response = await http.PostAsync($"/v1/test_helpers/subscriptions/{stripeSubscriptionId}/advance",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["outcome"] = paid ? "paid" : "failed" }));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Every event the fake sent so far is stored and handled.</summary>
    private async Task WaitUntilAllHandledAsync()
    {
        var ids = stack.Stripe.Objects.Events.Select(e => (string)e["id"]!).ToList();
        await stack.EventuallyAsync(async () =>
        {
            await using var db = stack.Db();
            return await db.StripeEvents.CountAsync(e => ids.Contains(e.Id) && e.ProcessedAt != null) == ids.Count;
        }, "every event handled");
    }
}
