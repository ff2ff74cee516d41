using Kinder.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Core.Payments;

/// <summary>
/// The only way credits move. Every movement first locks the user's wallet row (<c>SELECT … FOR UPDATE</c>), then reads
/// the balance (the sum of the entries) and appends an entry, all in the caller's transaction: two movements of one
/// user run one after the other, so a spend never sees a balance another spend is about to take, and the balance never
/// goes below zero. A per-user row lock rather than SERIALIZABLE: concurrent spends wait a moment instead of failing
/// with serialization errors to retry, and other users' movements are not involved at all.
/// </summary>
public static class CreditLedger
{
    /// <summary>Creates the user's wallet row if there is none, then locks it for the rest of the transaction.</summary>
    public static async Task LockWalletAsync(this KinderDbContext db, Guid userId, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        await db.Database.ExecuteSqlAsync(
            $"INSERT INTO wallets (user_id, created_at) VALUES ({userId}, {now}) ON CONFLICT DO NOTHING", cancellationToken);
        await db.Database.ExecuteSqlAsync($"SELECT 1 FROM wallets WHERE user_id = {userId} FOR UPDATE", cancellationToken);
    }

    /// <summary>The balance: the sum of the user's entries (0 without any).</summary>
    public static Task<long> CreditBalanceAsync(this KinderDbContext db, Guid userId, CancellationToken cancellationToken) =>
        db.CreditEntries.Where(e => e.UserId == userId).SumAsync(e => e.Credits, cancellationToken);

    /// <summary>Adds credits (a recharge, a refund). Call inside a transaction.</summary>
    public static async Task<CreditEntry> AddCreditsAsync(this KinderDbContext db, Guid userId, CreditEntryKind kind,
        long credits, DateTimeOffset now, Guid? paymentId, Guid? eventId, string? reason, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(credits);
        await db.LockWalletAsync(userId, now, cancellationToken);
        var entry = new CreditEntry
        {
            UserId = userId, Kind = kind, Credits = credits, PaymentId = paymentId, EventId = eventId, Reason = reason,
            CreatedAt = now,
        };
        db.CreditEntries.Add(entry);
        await db.SaveChangesAsync(cancellationToken);
        return entry;
    }

    /// <summary>
    /// Takes credits if the balance covers them; null (nothing written) when it does not. Call inside a transaction:
    /// the entry commits with what the credits paid for.
    /// </summary>
    public static async Task<CreditEntry?> TrySpendCreditsAsync(this KinderDbContext db, Guid userId, long credits,
        DateTimeOffset now, Guid? eventId, string? reason, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(credits);
        await db.LockWalletAsync(userId, now, cancellationToken);
        if (await db.CreditBalanceAsync(userId, cancellationToken) < credits)
        {
            return null;
        }
        var entry = new CreditEntry
        {
            UserId = userId, Kind = CreditEntryKind.Spend, Credits = -credits, EventId = eventId, Reason = reason,
            CreatedAt = now,
        };
        db.CreditEntries.Add(entry);
        await db.SaveChangesAsync(cancellationToken);
        return entry;
    }
}
