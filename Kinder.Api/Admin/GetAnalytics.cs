using Kinder.Core.Admin;
using Kinder.Core.Data;
using Kinder.Core.Payments;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Kinder.Api.Admin;

/// <summary>
/// <c>GET /admin/analytics</c>: per UTC day or ISO week, signups, events created, RSVPs (attendance answers given),
/// messages and revenue (succeeded payments in the app's currency). Finished days come from Workers' daily rollup,
/// today (and any day not rolled up yet) is counted live (<see cref="DailyActivityCounts"/>); weeks add up their days.
/// </summary>
public sealed class GetAnalytics(KinderDbContext db, IOptions<PaymentsOptions> payments, TimeProvider time)
{
    public const int DefaultDays = 30;

    public async Task<Ok<AnalyticsResponse>> HandleAsync(AnalyticsQuery query, CancellationToken cancellationToken)
    {
        var interval = query.Bucket() ?? AnalyticsInterval.Day;
        var now = time.GetUtcNow();
        var to = query.To ?? DateOnly.FromDateTime(now.UtcDateTime);
        var from = query.From ?? to.AddDays(-(DefaultDays - 1));
        if (interval == AnalyticsInterval.Week)
        {
            from = MondayOf(from);
        }
        var currency = payments.Value.Currency;
        var days = await DailyActivityCounts.ReadAsync(db, from, to, currency, now, cancellationToken);
        var series = days
            .GroupBy(day => interval == AnalyticsInterval.Week ? MondayOf(day.Day) : day.Day)
            .Select(bucket => new AnalyticsPoint(bucket.Key, bucket.Sum(day => day.Signups),
                bucket.Sum(day => day.EventsCreated), bucket.Sum(day => day.Rsvps), bucket.Sum(day => day.Messages),
                bucket.Sum(day => day.RevenueMinor)))
            .ToList();
        return TypedResults.Ok(new AnalyticsResponse(interval, currency, series));
    }

    private static DateOnly MondayOf(DateOnly day) => day.AddDays(-(((int)day.DayOfWeek + 6) % 7));
}
