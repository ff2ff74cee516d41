using System.Security.Claims;
using Kinder.Api.Infrastructure;
using Kinder.Core.Data;
using Kinder.Core.Identity;
using Kinder.Core.Payments;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kinder.Api.Payments;

/// <summary>
/// The history, newest first: the user's payments (those Stripe was asked for) and the credit movements that are not a
/// payment's own (spends, refunds in credits). Each source is read keyset-paged from the same cursor and the two are
/// merged, so paging from start to end returns every item once.
/// </summary>
public sealed class ListTransactions(KinderDbContext db, IOptions<PaymentsOptions> payments)
{
    public async Task<Ok<TransactionPage>> HandleAsync(TransactionsQuery query, ClaimsPrincipal principal,
        CancellationToken cancellationToken)
    {
        var userId = principal.GetUserId();
        var pageSize = query.PageSize();
        var after = Cursors.Decode<TransactionCursor>(query.Cursor);

        var paymentRows = db.Payments.AsNoTracking()
            .Where(p => p.UserId == userId && p.StripePaymentIntentId != null);
        var entryRows = db.CreditEntries.AsNoTracking()
            .Where(e => e.UserId == userId && e.PaymentId == null);
        if (after is not null)
        {
            paymentRows = paymentRows.Where(p => p.CreatedAt < after.CreatedAt
                || (p.CreatedAt == after.CreatedAt && p.Id.CompareTo(after.Id) < 0));
            entryRows = entryRows.Where(e => e.CreatedAt < after.CreatedAt
                || (e.CreatedAt == after.CreatedAt && e.Id.CompareTo(after.Id) < 0));
        }
        var fromPayments = await paymentRows.OrderByDescending(p => p.CreatedAt).ThenByDescending(p => p.Id)
            .Take(pageSize + 1).ToListAsync(cancellationToken);
        var fromEntries = await entryRows.OrderByDescending(e => e.CreatedAt).ThenByDescending(e => e.Id)
            .Take(pageSize + 1).ToListAsync(cancellationToken);

        var merged = fromPayments.Select(ForPayment).Concat(fromEntries.Select(ForEntry))
            .OrderByDescending(t => t.CreatedAt).ThenByDescending(t => t.Id)
            .Take(pageSize + 1).ToList();
        var page = merged.Take(pageSize).ToList();
        var next = merged.Count > pageSize ? Cursors.Encode(new TransactionCursor(page[^1].CreatedAt, page[^1].Id)) : null;
        return TypedResults.Ok(new TransactionPage(page, next));
    }

    public static TransactionResponse ForPayment(Payment payment) => new(payment.Id,
        payment.Kind switch
        {
            PaymentKind.Ticket => TransactionKind.Ticket,
            PaymentKind.Subscription => TransactionKind.Subscription,
            _ => TransactionKind.Recharge,
        },
        payment.Status, payment.AmountMinor, payment.Currency, payment.Credits, payment.EventId, payment.CreatedAt,
        payment.ReceiptUrl, payment.FailureCode);

    private TransactionResponse ForEntry(CreditEntry entry) => new(entry.Id,
        entry.Kind switch
        {
            CreditEntryKind.Spend => TransactionKind.Spend,
            CreditEntryKind.Refund when entry.EventId is not null => TransactionKind.TicketRefund,
            CreditEntryKind.Refund => TransactionKind.Refund,
            _ => TransactionKind.Adjustment,
        },
        PaymentStatus.Succeeded, 0, payments.Value.Currency, entry.Credits, entry.EventId, entry.CreatedAt, null, null);
}
