using Kinder.Core.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Kinder.Core.Admin;

/// <summary>
/// The analytics series per UTC day: <see cref="CountAsync"/> counts from the data (one grouped range scan per measure
/// on its created_at index, the measures stacked with UNION ALL so the planner's estimates add up instead of
/// multiplying); <see cref="ReadAsync"/> takes the finished days Workers rolled up and counts only the rest live.
/// </summary>
public static class DailyActivityCounts
{
    /// <summary>Every day from <paramref name="from"/> to <paramref name="to"/> (inclusive), 0 where nothing happened.</summary>
    public static async Task<List<DailyActivity>> CountAsync(KinderDbContext db, DateOnly from, DateOnly to,
        string currency, DateTimeOffset computedAt, CancellationToken cancellationToken)
    {
        var days = Enumerable.Range(0, Math.Max(0, to.DayNumber - from.DayNumber + 1))
            .Select(offset => new DailyActivity { Day = from.AddDays(offset), Currency = currency, ComputedAt = computedAt })
            .ToList();
        if (days.Count == 0)
        {
            return days;
        }
        var start = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var end = new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var rows = await db.ReadRawAsync("""
            SELECT 0, date_trunc('day', created_at AT TIME ZONE 'UTC'), count(*) FROM users
             WHERE created_at >= @start AND created_at < @end GROUP BY 2
            UNION ALL
            SELECT 1, date_trunc('day', created_at AT TIME ZONE 'UTC'), count(*) FROM events
             WHERE created_at >= @start AND created_at < @end GROUP BY 2
            UNION ALL
            SELECT 2, date_trunc('day', created_at AT TIME ZONE 'UTC'), count(*) FROM event_attendances
             WHERE created_at >= @start AND created_at < @end GROUP BY 2
            UNION ALL
            SELECT 3, date_trunc('day', created_at AT TIME ZONE 'UTC'), count(*) FROM messages
             WHERE created_at >= @start AND created_at < @end GROUP BY 2
            UNION ALL
            SELECT 4, date_trunc('day', created_at AT TIME ZONE 'UTC'), coalesce(sum(amount_minor), 0)::bigint FROM payments
             WHERE status = 'Succeeded' AND currency = @currency AND created_at >= @start AND created_at < @end GROUP BY 2
            """,
            [new("start", start), new("end", end), new("currency", currency)],
            reader => (Measure: reader.GetInt32(0), Day: DateOnly.FromDateTime(reader.GetDateTime(1)), Value: reader.GetInt64(2)),
            cancellationToken);
        foreach (var (measure, day, value) in rows)
        {
            var counted = days[day.DayNumber - from.DayNumber];
            switch (measure)
            {
                case 0: counted.Signups = value; break;
                case 1: counted.EventsCreated = value; break;
                case 2: counted.Rsvps = value; break;
                case 3: counted.Messages = value; break;
                default: counted.RevenueMinor = value; break;
            }
        }
        return days;
    }

    /// <summary>
    /// The series from <paramref name="from"/> to <paramref name="to"/>: rolled-up days as stored, from the first day
    /// not rolled up (today at the latest) counted live.
    /// </summary>
    public static async Task<List<DailyActivity>> ReadAsync(KinderDbContext db, DateOnly from, DateOnly to,
        string currency, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var lastFinished = DateOnly.FromDateTime(now.UtcDateTime).AddDays(-1);
        var storedTo = to < lastFinished ? to : lastFinished;
        var stored = from > storedTo ? [] : await db.DailyActivity.AsNoTracking()
            .Where(day => day.Day >= from && day.Day <= storedTo && day.Currency == currency)
            .OrderBy(day => day.Day).ToListAsync(cancellationToken);
        // The stored run that starts at `from` without a gap; the rest is counted.
        var series = stored.TakeWhile((day, index) => day.Day == from.AddDays(index)).ToList();
        series.AddRange(await CountAsync(db, from.AddDays(series.Count), to, currency, now, cancellationToken));
        return series;
    }
}
