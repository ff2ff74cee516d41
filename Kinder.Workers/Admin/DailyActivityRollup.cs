using Kinder.Core.Admin;
using Kinder.Core.Data;
using Kinder.Core.Payments;
using Kinder.Core.Profiles;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kinder.Workers.Admin;

/// <summary>
/// Keeps <c>daily_activity</c>, one row per finished UTC day, for <c>GET /admin/analytics</c>: each pass counts again
/// the last <see cref="AnalyticsOptions.RefreshDays"/> days (late refunds and answers), or from the first day missing
/// within <see cref="AnalyticsOptions.BackfillDays"/> (a fresh install, a gap). The rows of a pass are replaced in one
/// transaction, under an advisory lock so replicas running it together take turns.
/// </summary>
public sealed class DailyActivityRollup(IServiceScopeFactory scopeFactory, IOptions<AnalyticsOptions> options,
    IOptions<PaymentsOptions> payments, TimeProvider time, ILogger<DailyActivityRollup> logger) : PeriodicService(logger)
{
    protected override TimeProvider WaitClock => time;

    protected override TimeSpan Interval => options.Value.RollupInterval;

    protected override string Work => "Rolling up daily activity";

    protected override Task RunPassAsync(CancellationToken cancellationToken) => RollUpAsync(cancellationToken);

    /// <summary>One pass; returns the number of days written.</summary>
    public async Task<int> RollUpAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KinderDbContext>();
        var settings = options.Value;
        var currency = payments.Value.Currency;
        var now = time.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var earliest = today.AddDays(-settings.BackfillDays);
        var refreshFrom = today.AddDays(-settings.RefreshDays);
        var stored = await db.DailyActivity
            .Where(day => day.Day >= earliest && day.Day < refreshFrom && day.Currency == currency)
            .Select(day => day.Day).ToListAsync(cancellationToken);
        var have = stored.ToHashSet();
        var from = earliest;
        while (from < refreshFrom && have.Contains(from))
        {
            from = from.AddDays(1);
        }
        return await db.InTransactionAsync(async token =>
        {
            // Counted under the lock: a replica's pass that counted earlier cannot overwrite a later count.
            await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(hashtext('daily_activity'))", token);
            var days = await DailyActivityCounts.CountAsync(db, from, today.AddDays(-1), currency, now, token);
            await db.DailyActivity.Where(day => day.Day >= from && day.Day < today).ExecuteDeleteAsync(token);
            db.DailyActivity.AddRange(days);
            await db.SaveChangesAsync(token);
            return days.Count;
        }, cancellationToken);
    }
}
