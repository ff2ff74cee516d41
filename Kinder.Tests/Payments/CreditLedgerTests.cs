using Kinder.Core.Payments;
using Kinder.Core.Profiles;
using Kinder.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Tests.Payments;

/// <summary>The ledger against the real PostgreSQL: concurrent spends never take a balance below zero.</summary>
public sealed class CreditLedgerTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Fifty_concurrent_spends_never_take_the_balance_below_zero()
    {
        var user = await api.CreateUserAsync();
        await using (var db = TestDatabases.CreateContext(api.DatabaseConnectionString))
        {
            await db.InTransactionAsync(token =>
                db.AddCreditsAsync(user.Id, CreditEntryKind.Adjustment, 30, DateTimeOffset.UtcNow, null, null, "test grant", token),
                CancellationToken.None);
        }

        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(async _ =>
        {
            await using var db = TestDatabases.CreateContext(api.DatabaseConnectionString);
            return await db.InTransactionAsync(token =>
                db.TrySpendCreditsAsync(user.Id, 1, DateTimeOffset.UtcNow, null, "test spend", token), CancellationToken.None);
        }));

        Assert.Equal(30, results.Count(entry => entry is not null));
        await using var check = TestDatabases.CreateContext(api.DatabaseConnectionString);
        Assert.Equal(0, await check.CreditBalanceAsync(user.Id, CancellationToken.None));
        Assert.Equal(-30, await check.CreditEntries.Where(e => e.UserId == user.Id && e.Kind == CreditEntryKind.Spend)
            .SumAsync(e => e.Credits));
    }

    [Fact]
    public async Task A_spend_larger_than_the_balance_writes_nothing()
    {
        var user = await api.CreateUserAsync();
        await using var db = TestDatabases.CreateContext(api.DatabaseConnectionString);
        var spent = await db.InTransactionAsync(token =>
            db.TrySpendCreditsAsync(user.Id, 5, DateTimeOffset.UtcNow, null, null, token), CancellationToken.None);
        Assert.Null(spent);
        Assert.False(await db.CreditEntries.AnyAsync(e => e.UserId == user.Id));
    }
}
