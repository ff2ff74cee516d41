using Kinder.Core.Data;
using Kinder.Core.Moderation;
using Kinder.Core.Notifications;
using Kinder.Core.Payments;
using Kinder.StripeFake;
using Microsoft.EntityFrameworkCore;
using Stripe;

namespace Kinder.Tests.Payments;

/// <summary>
/// The payer's <c>payment</c> notifications: Stripe's webhook changes the payment, the change (PaymentChanged on
/// payments.changes) becomes one notification per payment and status, whatever the redelivery.
/// </summary>
public sealed class PaymentNotificationTests(PaymentsStack stack) : IClassFixture<PaymentsStack>
{
    [Fact]
    public async Task A_successful_and_then_refunded_recharge_notifies_the_payer_once_each()
    {
        var (user, client) = await stack.NewUserAsync();
        var recharge = await WalletRechargeTests.RechargeAsync(client, key: null);
        var intentId = WalletRechargeTests.IntentId(recharge.ClientSecret);
        await new PaymentIntentService(stack.StripeClient).ConfirmAsync(intentId,
            new PaymentIntentConfirmOptions { PaymentMethod = StripeObjects.CardVisa });

        var received = Assert.Single(await UntilAsync(user.Id, 1));
        Assert.Equal(("Payment received", "You paid 4.99 EUR for credits."), (received.Title, received.Body));
        Assert.Equal(recharge.PaymentId, NotificationData.FromJson(received.Data).PaymentId);
        var succeeded = (string)stack.Stripe.Objects.Events.First(e => (string?)e["type"] == "payment_intent.succeeded" &&
            (string?)e["data"]!["object"]!["id"] == intentId)["id"]!;
        Assert.Equal(200, await stack.Stripe.RedeliverAsync(succeeded));

        await using (var db = stack.Db())
        {
            var payment = await db.Payments.SingleAsync(p => p.Id == recharge.PaymentId);
            StripeRefunds.Request(db, new AuditTrail(db, TimeProvider.System), null, payment, "test refund", DateTimeOffset.UtcNow);
            await db.SaveChangesAsync();
        }
        var both = await UntilAsync(user.Id, 2);
        var refunded = Assert.Single(both, n => n.Id != received.Id);
        Assert.Equal(("Payment refunded", "4.99 EUR for credits was refunded."), (refunded.Title, refunded.Body));
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(2, (await PaymentNotificationsAsync(user.Id)).Count);
    }

    [Fact]
    public async Task A_declined_card_notifies_the_payer_that_the_payment_failed()
    {
        var (user, client) = await stack.NewUserAsync();
        var recharge = await WalletRechargeTests.RechargeAsync(client, key: null);
        await Assert.ThrowsAsync<StripeException>(() => new PaymentIntentService(stack.StripeClient).ConfirmAsync(
            WalletRechargeTests.IntentId(recharge.ClientSecret),
            new PaymentIntentConfirmOptions { PaymentMethod = StripeObjects.CardDeclined }));

        var failed = Assert.Single(await UntilAsync(user.Id, 1));
        Assert.Equal(("payment", "Payment failed", "Your payment of 4.99 EUR for credits did not go through."),
            (failed.Type, failed.Title, failed.Body));
        Assert.Equal($"payment:{recharge.PaymentId}:failed", failed.CauseKey);
    }

    private async Task<List<Notification>> PaymentNotificationsAsync(Guid userId)
    {
        await using var db = stack.Db();
        return await db.Notifications.AsNoTracking().Where(n => n.UserId == userId && n.Type == NotificationTypes.Payment)
            .OrderBy(n => n.CreatedAt).ToListAsync();
    }

    private async Task<List<Notification>> UntilAsync(Guid userId, int count)
    {
        List<Notification> rows = [];
        await stack.EventuallyAsync(async () => (rows = await PaymentNotificationsAsync(userId)).Count >= count,
            $"{count} payment notification(s)");
        return rows;
    }
}
