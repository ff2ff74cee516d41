using System.Globalization;
using Kinder.Core.Data;
using Kinder.Core.Email;
using Kinder.Core.Outbox;
using Kinder.Messaging;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Core.Payments;

/// <summary>
/// The receipt email of a successful card payment, queued (topic <see cref="Topics.Email"/>) in the transaction that
/// first records the payment's receipt URL, so each payment gets one; Workers' email pipeline sends it.
/// </summary>
public static class PaymentReceipts
{
    public static async Task QueueAsync(KinderDbContext db, Payment payment, string receiptUrl,
        CancellationToken cancellationToken)
    {
        var user = await db.Users.Where(u => u.Id == payment.UserId && u.DeletedAt == null)
            .Select(u => new { u.Email, u.DisplayName }).FirstOrDefaultAsync(cancellationToken);
        if (user is null)
        {
            return;
        }
        var description = payment.Kind switch
        {
            PaymentKind.Recharge => $"{payment.Credits} credits",
            PaymentKind.Subscription => "Kinder Premium",
            _ => "an event ticket",
        };
        var amount = (payment.AmountMinor / 100m).ToString("0.00", CultureInfo.InvariantCulture) + " " + payment.Currency;
        db.AddIntegrationEvent(Topics.Email, user.Email, new EmailRequestedIntegrationEvent(user.Email,
            EmailTemplates.PaymentReceipt, new Dictionary<string, string>
            {
                ["displayName"] = user.DisplayName, ["description"] = description, ["amount"] = amount,
                ["receiptUrl"] = receiptUrl,
            }));
    }
}
