using Kinder.Core.Data;
using Kinder.Core.Payments;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kinder.Api.Admin;

/// <summary>
/// <c>GET /admin/analytics</c>: per UTC day or ISO week, signups, events created, RSVPs (attendance answers given),
/// messages and revenue (succeeded payments in the app's currency). Each measure is one range scan over its table's
/// created_at index grouped into buckets, not one query per bucket; buckets with nothing are 0.
/// </summary>
public sealed class GetAnalytics(KinderDbContext db, IOptions<PaymentsOptions> payments, TimeProvider time)
{
    public const int DefaultDays = 30;

    private sealed record Row(DateTime Bucket, long Signups, long EventsCreated, long Rsvps, long Messages,
        long RevenueMinor);

    public async Task<Ok<AnalyticsResponse>> HandleAsync(AnalyticsQuery query, CancellationToken cancellationToken)
    {
        var interval = query.Bucket() ?? AnalyticsInterval.Day;
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var to = query.To ?? today;
        var from = query.From ?? to.AddDays(-(DefaultDays - 1));
        if (interval == AnalyticsInterval.Week)
        {
            from = from.AddDays(-(((int)from.DayOfWeek + 6) % 7)); // back to Monday
        }
        var start = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var end = new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var unit = interval == AnalyticsInterval.Week ? "week" : "day";
        var step = interval == AnalyticsInterval.Week ? TimeSpan.FromDays(7) : TimeSpan.FromDays(1);
        var currency = payments.Value.Currency;
        // date_trunc in UTC ('week' starts on Monday); generate_series gives the empty buckets.
        var rows = await db.ReadRawAsync("""
            WITH buckets AS (
                SELECT generate_series(@start AT TIME ZONE 'UTC', @end AT TIME ZONE 'UTC' - interval '1 microsecond', @step) AS bucket),
            signups AS (SELECT date_trunc(@unit, created_at AT TIME ZONE 'UTC') AS bucket, count(*) AS n FROM users
                        WHERE created_at >= @start AND created_at < @end GROUP BY 1),
            created AS (SELECT date_trunc(@unit, created_at AT TIME ZONE 'UTC') AS bucket, count(*) AS n FROM events
                        WHERE created_at >= @start AND created_at < @end GROUP BY 1),
            rsvps AS (SELECT date_trunc(@unit, created_at AT TIME ZONE 'UTC') AS bucket, count(*) AS n FROM event_attendances
                      WHERE created_at >= @start AND created_at < @end GROUP BY 1),
            sent AS (SELECT date_trunc(@unit, created_at AT TIME ZONE 'UTC') AS bucket, count(*) AS n FROM messages
                     WHERE created_at >= @start AND created_at < @end GROUP BY 1),
            revenue AS (SELECT date_trunc(@unit, created_at AT TIME ZONE 'UTC') AS bucket, sum(amount_minor) AS n FROM payments
                        WHERE status = 'Succeeded' AND currency = @currency AND created_at >= @start AND created_at < @end GROUP BY 1)
            SELECT b.bucket, coalesce(s.n, 0)::bigint, coalesce(c.n, 0)::bigint, coalesce(r.n, 0)::bigint,
                   coalesce(m.n, 0)::bigint, coalesce(p.n, 0)::bigint
            FROM buckets b
            LEFT JOIN signups s ON s.bucket = b.bucket LEFT JOIN created c ON c.bucket = b.bucket
            LEFT JOIN rsvps r ON r.bucket = b.bucket LEFT JOIN sent m ON m.bucket = b.bucket
            LEFT JOIN revenue p ON p.bucket = b.bucket
            ORDER BY b.bucket
            """,
            [new("start", start), new("end", end), new("step", step), new("unit", unit), new("currency", currency)],
            reader => new Row(reader.GetDateTime(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3),
                reader.GetInt64(4), reader.GetInt64(5)), cancellationToken);
        var series = rows.Select(row => new AnalyticsPoint(DateOnly.FromDateTime(row.Bucket), row.Signups,
            row.EventsCreated, row.Rsvps, row.Messages, row.RevenueMinor)).ToList();
        return TypedResults.Ok(new AnalyticsResponse(interval, currency, series));
    }
}
