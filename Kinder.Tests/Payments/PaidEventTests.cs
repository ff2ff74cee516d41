using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kinder.Core.Events;
using Kinder.Core.Moderation;
using Kinder.Core.Payments;
using Kinder.Core.Profiles;
using Kinder.StripeFake;
using Kinder.Tests.Events;
using Kinder.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Stripe;

namespace Kinder.Tests.Payments;

/// <summary>
/// Paid events: tickets by card (a held place) or credits (at once), never more than capacity, holds that expire,
/// refunds on cancellation and on leaving before the cut-off, each once.
/// </summary>
public sealed class PaidEventTests(PaymentsStack stack) : IClassFixture<PaymentsStack>
{
    private const long Price = 1000; // 10.00 EUR = 200 credits at 5 minor units a credit
    private const long PriceCredits = 200;

    [Fact]
    public async Task Going_without_a_ticket_is_402_and_too_few_credits_is_402_insufficient_credits()
    {
        var eventId = await PaidEventAsync(capacity: null);
        var (_, client) = await stack.NewUserAsync();
        await ProblemAssertions.AssertProblemAsync(await client.AttendAsync(eventId, "going"),
            HttpStatusCode.PaymentRequired, "PAYMENT_REQUIRED");
        await ProblemAssertions.AssertProblemAsync(await BuyAsync(client, eventId, "credits"),
            HttpStatusCode.PaymentRequired, "INSUFFICIENT_CREDITS");
        await using var db = stack.Db();
        Assert.False(await db.Tickets.AnyAsync(t => t.EventId == eventId));
    }

    [Fact]
    public async Task Twenty_buyers_for_five_places_end_with_exactly_five_tickets_and_fifteen_refused()
    {
        // Capacity 6: the organizer goes, five places are for sale.
        var eventId = await PaidEventAsync(capacity: 6);
        var buyers = new List<HttpClient>();
        for (var i = 0; i < 20; i++)
        {
            var (user, client) = await stack.NewUserAsync();
            await GrantAsync(user.Id, 1000);
            buyers.Add(client);
        }

        var responses = await Task.WhenAll(buyers.Select((client, index) =>
            BuyAsync(client, eventId, index % 2 == 0 ? "card" : "credits")));

        Assert.Equal(5, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
        {
            await ProblemAssertions.AssertProblemAsync(refused, HttpStatusCode.Conflict, "EVENT_FULL");
        }
        await using var db = stack.Db();
        var now = DateTimeOffset.UtcNow;
        var tickets = await db.Tickets.Where(t => t.EventId == eventId).ToListAsync();
        Assert.Equal(5, tickets.Count);
        var @event = await db.Events.SingleAsync(e => e.Id == eventId);
        Assert.Equal(6, @event.GoingCount + tickets.Count(t => t.Status == TicketStatus.Pending)); // with the organizer
        Assert.True(@event.GoingCount <= @event.Capacity);
    }

    [Fact]
    public async Task An_expired_hold_releases_its_place_and_a_late_payment_is_refunded()
    {
        var eventId = await PaidEventAsync(capacity: 2); // the organizer and one buyer
        var (_, first) = await stack.NewUserAsync();
        var (secondUser, second) = await stack.NewUserAsync();
        var held = await ReadAsync(await BuyAsync(first, eventId, "card"));
        Assert.Equal("pending", held.GetProperty("status").GetString());
        await ProblemAssertions.AssertProblemAsync(await BuyAsync(second, eventId, "card"), HttpStatusCode.Conflict, "EVENT_FULL");

        await Task.Delay(PaymentsStack.TicketHold + TimeSpan.FromMilliseconds(500));
        await GrantAsync(secondUser.Id, PriceCredits);
        var secondTicket = await ReadAsync(await BuyAsync(second, eventId, "credits"));

        // The first buyer pays after the hold expired, the place gone to the second: the payment is refunded.
        await ConfirmAsync(held.GetProperty("clientSecret").GetString()!);
        var firstPayment = held.GetProperty("paymentId").GetGuid();
        await stack.EventuallyAsync(async () =>
        {
            await using var db = stack.Db();
            return (await db.Payments.SingleAsync(p => p.Id == firstPayment)).Status == PaymentStatus.Refunded;
        }, "the late payment refunded");
        await using var check = stack.Db();
        Assert.Equal(TicketStatus.Refunded, (await check.Tickets.SingleAsync(t => t.PaymentId == firstPayment)).Status);
        Assert.Equal(TicketStatus.Confirmed,
            (await check.Tickets.SingleAsync(t => t.Id == secondTicket.GetProperty("ticketId").GetGuid())).Status);
        Assert.Equal(2, (await check.Events.SingleAsync(e => e.Id == eventId)).GoingCount);
    }

    [Fact]
    public async Task A_card_ticket_is_confirmed_by_the_webhook_and_cancelling_the_event_refunds_every_ticket_once()
    {
        var (organizer, organizerClient, eventId) = await OrganizedPaidEventAsync(capacity: 10);
        var (cardUser, cardClient) = await stack.NewUserAsync();
        var creditUsers = new List<(Guid Id, HttpClient Client)>();
        for (var i = 0; i < 2; i++)
        {
            var (user, client) = await stack.NewUserAsync();
            await GrantAsync(user.Id, 300);
            var bought = await ReadAsync(await BuyAsync(client, eventId, "credits"));
            Assert.Equal("confirmed", bought.GetProperty("status").GetString());
            Assert.Equal(100, await PaymentsStack.BalanceAsync(client));
            creditUsers.Add((user.Id, client));
        }
        var card = await ReadAsync(await BuyAsync(cardClient, eventId, "card"));
        await ConfirmAsync(card.GetProperty("clientSecret").GetString()!);
        var cardTicket = card.GetProperty("ticketId").GetGuid();
        await stack.EventuallyAsync(async () =>
            (await cardClient.GetFromJsonAsync<JsonElement>($"/api/v1/payments/tickets/{cardTicket}"))
            .GetProperty("status").GetString() == "confirmed", "the card ticket confirmed");
        Assert.Equal(HttpStatusCode.OK, (await cardClient.AttendAsync(eventId, "going")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await organizerClient.DeleteAsync($"/api/v1/events/{eventId}")).StatusCode);

        var cardPayment = card.GetProperty("paymentId").GetGuid();
        await stack.EventuallyAsync(async () =>
        {
            await using var db = stack.Db();
            return await db.Tickets.Where(t => t.EventId == eventId).AllAsync(t => t.Status == TicketStatus.Refunded)
                && (await db.Payments.SingleAsync(p => p.Id == cardPayment)).Status == PaymentStatus.Refunded;
        }, "every ticket refunded");
        // Again, as a redelivered record would: nothing more.
        await using (var scope = stack.Api.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<CancelledEventRefunds>().RefundAsync(eventId, null, CancellationToken.None);
        }
        foreach (var (_, client) in creditUsers)
        {
            Assert.Equal(300, await PaymentsStack.BalanceAsync(client));
        }
        await using var check = stack.Db();
        Assert.Equal(2, await check.CreditEntries.CountAsync(e => e.EventId == eventId && e.Kind == CreditEntryKind.Refund));
        var intentId = (await check.Payments.SingleAsync(p => p.Id == cardPayment)).StripePaymentIntentId;
        Assert.Single(stack.Stripe.Objects.Events, e => (string?)e["type"] == "charge.refunded" &&
            (string?)e["data"]!["object"]!["payment_intent"] == intentId);
        // Stripe's redelivery of the refund's webhook changes nothing.
        var refunded = (string)stack.Stripe.Objects.Events.Single(e => (string?)e["type"] == "charge.refunded" &&
            (string?)e["data"]!["object"]!["payment_intent"] == intentId)["id"]!;
        Assert.Equal(200, await stack.Stripe.RedeliverAsync(refunded));
        Assert.Equal(PaymentStatus.Refunded, (await check.Payments.AsNoTracking().SingleAsync(p => p.Id == cardPayment)).Status);
        // Each refund audited once, the organizer who cancelled as the actor: the credits tickets and the card payment;
        // Stripe's confirmation of a refund Kinder asked for adds none.
        var refundTargets = await check.Tickets.Where(t => t.EventId == eventId && t.PayWith == TicketPayment.Credits)
            .Select(t => t.Id.ToString()).ToListAsync();
        refundTargets.Add(cardPayment.ToString());
        var audited = await check.AuditLogs.Where(log => log.Action == AuditActions.PaymentRefunded
            && refundTargets.Contains(log.TargetId!)).ToListAsync();
        Assert.Equal(3, audited.Count);
        Assert.All(audited, log => Assert.Equal(organizer.Id, log.ActorId));
        _ = organizer;
        _ = cardUser;
    }

    [Fact]
    public async Task An_expired_hold_frees_the_place_and_cancels_its_payment_intent()
    {
        var eventId = await PaidEventAsync(capacity: 2); // the organizer and one more
        var (_, late) = await stack.NewUserAsync();
        var (_, next) = await stack.NewUserAsync();
        var held = await ReadAsync(await BuyAsync(late, eventId, "card"));
        await ProblemAssertions.AssertProblemAsync(await BuyAsync(next, eventId, "card"), HttpStatusCode.Conflict, "EVENT_FULL");

        var expiresAt = held.GetProperty("holdExpiresAt").GetDateTimeOffset();
        await stack.EventuallyAsync(() => Task.FromResult(DateTimeOffset.UtcNow > expiresAt.AddMilliseconds(200)), "the hold expired");
        Assert.True(await stack.SweepExpiredHoldsAsync() >= 1);
        Assert.Equal(0, await stack.SweepExpiredHoldsAsync()); // nothing left: a second pass changes nothing

        var secret = held.GetProperty("clientSecret").GetString()!;
        var intentId = secret[..secret.IndexOf("_secret_", StringComparison.Ordinal)];
        Assert.Equal("canceled", (await new PaymentIntentService(stack.StripeClient).GetAsync(intentId)).Status);
        await Assert.ThrowsAsync<StripeException>(() => ConfirmAsync(secret)); // a late confirmation cannot charge
        var ticketId = held.GetProperty("ticketId").GetGuid();
        Assert.Equal("failed", (await late.GetFromJsonAsync<JsonElement>($"/api/v1/payments/tickets/{ticketId}"))
            .GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Created, (await BuyAsync(next, eventId, "card")).StatusCode); // the place is free
    }

    [Fact]
    public async Task An_onboarded_organizer_is_paid_by_destination_charge_and_a_refund_reverses_the_transfer()
    {
        var (_, organizer, eventId) = await OrganizedPaidEventAsync(capacity: null);
        Assert.Equal("none", (await organizer.GetFromJsonAsync<JsonElement>("/api/v1/payments/connect"))
            .GetProperty("status").GetString());
        var onboarding = await organizer.PostAsync("/api/v1/payments/connect/onboarding", null);
        var url = JsonDocument.Parse(await onboarding.Content.ReadAsStringAsync()).RootElement.GetProperty("url").GetString()!;
        Assert.Equal(HttpStatusCode.OK, onboarding.StatusCode);
        Assert.Equal("pending", (await organizer.GetFromJsonAsync<JsonElement>("/api/v1/payments/connect"))
            .GetProperty("status").GetString());
        using (var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }))
        {
            Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync(url)).StatusCode); // Stripe's form, back to Kinder
        }
        await stack.EventuallyAsync(async () =>
        {
            var connect = await organizer.GetFromJsonAsync<JsonElement>("/api/v1/payments/connect");
            return connect.GetProperty("status").GetString() == "active" && connect.GetProperty("payoutsEnabled").GetBoolean();
        }, "account.updated makes the account active");

        var (buyerUser, buyer) = await stack.NewUserAsync();
        var bought = await ReadAsync(await BuyAsync(buyer, eventId, "card"));
        var secret = bought.GetProperty("clientSecret").GetString()!;
        await ConfirmAsync(secret);
        var ticketId = bought.GetProperty("ticketId").GetGuid();
        await stack.EventuallyAsync(async () => (await buyer.GetFromJsonAsync<JsonElement>($"/api/v1/payments/tickets/{ticketId}"))
            .GetProperty("status").GetString() == "confirmed", "the ticket confirmed");
        var intent = stack.Stripe.Objects.Find(secret[..secret.IndexOf("_secret_", StringComparison.Ordinal)])!;
        await using var db = stack.Db();
        var accountId = (await db.ConnectAccounts.SingleAsync(a => a.StripeAccountId == (string)intent["transfer_data"]!["destination"]!))
            .StripeAccountId;
        Assert.Equal(Price / 10, (long)intent["application_fee_amount"]!); // the default 10 % platform fee
        var charge = stack.Stripe.Objects.Find((string)intent["latest_charge"]!)!;
        var transfer = stack.Stripe.Objects.Find((string)charge["transfer"]!)!;
        Assert.Equal(accountId, (string?)transfer["destination"]);
        Assert.Equal(Price - Price / 10, (long)transfer["amount"]!);

        Assert.Equal(HttpStatusCode.OK, (await buyer.AttendAsync(eventId, "not_going")).StatusCode); // before the cut-off
        var paymentId = bought.GetProperty("paymentId").GetGuid();
        await stack.EventuallyAsync(async () =>
        {
            await using var check = stack.Db();
            return (await check.Payments.SingleAsync(p => p.Id == paymentId)).Status == PaymentStatus.Refunded;
        }, "the card refunded through Workers");
        Assert.True((bool)stack.Stripe.Objects.Find((string)charge["transfer"]!)!["reversed"]!);
        Assert.True((bool)stack.Stripe.Objects.Find((string)charge["id"]!)!["application_fee_refunded"]!);
        // Audited once, the buyer who left as the actor, in the transaction that asked for it.
        var audited = await db.AuditLogs.SingleAsync(log => log.Action == AuditActions.PaymentRefunded
            && log.TargetId == paymentId.ToString());
        Assert.Equal(buyerUser.Id, audited.ActorId);
    }

    [Fact]
    public async Task A_freed_place_is_offered_to_the_waitlist_and_passes_on_when_the_claim_window_ends()
    {
        var eventId = await PaidEventAsync(capacity: 2); // the organizer and one more
        var (first, firstClient) = await stack.NewUserAsync();
        await GrantAsync(first.Id, PriceCredits);
        Assert.Equal(HttpStatusCode.Created, (await BuyAsync(firstClient, eventId, "credits")).StatusCode);
        var (second, secondClient) = await stack.NewUserAsync();
        var (third, thirdClient) = await stack.NewUserAsync();
        await GrantAsync(third.Id, PriceCredits);
        foreach (var client in new[] { secondClient, thirdClient })
        {
            var answer = await client.AttendAsync(eventId, "going"); // full: the paid waitlist, no 402
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            Assert.Equal("waitlisted", (await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        }

        Assert.Equal(HttpStatusCode.OK, (await firstClient.AttendAsync(eventId, "not_going")).StatusCode); // a place frees
        await using (var db = stack.Db())
        {
            var offer = await db.Tickets.SingleAsync(t => t.EventId == eventId && t.Status == TicketStatus.Offered);
            Assert.Equal(second.Id, offer.UserId); // the first in line, not promoted to going without paying
            Assert.Equal(1, (await db.Events.SingleAsync(e => e.Id == eventId)).GoingCount);
        }
        await ProblemAssertions.AssertProblemAsync(await BuyAsync(thirdClient, eventId, "credits"), HttpStatusCode.Conflict,
            "EVENT_FULL"); // the place is held for the second

        await Task.Delay(PaymentsStack.ClaimWindow + TimeSpan.FromMilliseconds(300)); // the second does not pay
        Assert.True(await stack.SweepExpiredHoldsAsync() >= 1);
        await using (var db = stack.Db())
        {
            Assert.Equal(TicketStatus.Lapsed, (await db.Tickets.SingleAsync(t => t.EventId == eventId && t.UserId == second.Id)).Status);
            Assert.Equal(AttendanceStatus.NotGoing, (await db.EventAttendances.SingleAsync(a => a.EventId == eventId &&
                a.UserId == second.Id)).Status);
            Assert.Equal(third.Id, (await db.Tickets.SingleAsync(t => t.EventId == eventId && t.Status == TicketStatus.Offered)).UserId);
        }
        var bought = await ReadAsync(await BuyAsync(thirdClient, eventId, "credits"));
        Assert.Equal("confirmed", bought.GetProperty("status").GetString());
        await using (var db = stack.Db())
        {
            Assert.Equal(AttendanceStatus.Going, (await db.EventAttendances.SingleAsync(a => a.EventId == eventId &&
                a.UserId == third.Id)).Status);
            Assert.Equal(2, (await db.Events.SingleAsync(e => e.Id == eventId)).GoingCount);
            Assert.False(await db.Tickets.AnyAsync(t => t.EventId == eventId && t.Status == TicketStatus.Offered));
        }
        _ = secondClient;
    }

    [Fact]
    public async Task Leaving_before_the_cut_off_refunds_a_credits_ticket()
    {
        var eventId = await PaidEventAsync(capacity: null);
        var (user, client) = await stack.NewUserAsync();
        await GrantAsync(user.Id, PriceCredits);
        Assert.Equal(HttpStatusCode.Created, (await BuyAsync(client, eventId, "credits")).StatusCode);
        Assert.Equal(0, await PaymentsStack.BalanceAsync(client));

        Assert.Equal(HttpStatusCode.OK, (await client.AttendAsync(eventId, "not_going")).StatusCode);
        Assert.Equal(PriceCredits, await PaymentsStack.BalanceAsync(client));
        Assert.Equal(HttpStatusCode.OK, (await client.AttendAsync(eventId, "not_going")).StatusCode);
        Assert.Equal(PriceCredits, await PaymentsStack.BalanceAsync(client));
        await using var db = stack.Db();
        Assert.Equal(1, (await db.Events.SingleAsync(e => e.Id == eventId)).GoingCount); // the organizer
        // The refund is in the audit log once, the attendee who left as the actor.
        var audited = await db.AuditLogs.SingleAsync(log => log.Action == AuditActions.PaymentRefunded
            && log.TargetType == AuditTargets.Ticket && log.ActorId == user.Id);
        Assert.Contains(eventId.ToString(), audited.Data);
    }

    private async Task<Guid> PaidEventAsync(int? capacity) => (await OrganizedPaidEventAsync(capacity)).EventId;

    private Task<(Kinder.Core.Identity.User, HttpClient, Guid EventId)> OrganizedPaidEventAsync(int? capacity) =>
        stack.Api.CreateOrganizedEventAsync(EventsDriver.ValidEvent(capacity, Price, "EUR"));

    private async Task GrantAsync(Guid userId, long credits)
    {
        await using var db = stack.Db();
        await db.InTransactionAsync(token => db.AddCreditsAsync(userId, CreditEntryKind.Adjustment, credits,
            DateTimeOffset.UtcNow, null, null, "test grant", token), CancellationToken.None);
    }

    private static Task<HttpResponseMessage> BuyAsync(HttpClient client, Guid eventId, string payWith) =>
        client.PostAsJsonAsync($"/api/v1/events/{eventId}/tickets", new { payWith });

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, text);
        return JsonDocument.Parse(text).RootElement;
    }

    private Task ConfirmAsync(string clientSecret) =>
        new PaymentIntentService(stack.StripeClient).ConfirmAsync(
            clientSecret[..clientSecret.IndexOf("_secret_", StringComparison.Ordinal)],
            new PaymentIntentConfirmOptions { PaymentMethod = StripeObjects.CardVisa });
}
