using Kinder.Core.Data;
using Kinder.Core.Payments;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kinder.Api.Admin;

/// <summary>
/// <c>GET /admin/dashboard</c>: one statement of counts, each a range scan on an index (created_at on users, events,
/// attendances; BRIN on messages; starts_at on events). Active users: those whose session was issued or refreshed in
/// 7 days (refresh tokens). Revenue: succeeded payments of the last 30 days in the app's currency (refunded ones are
/// <c>Refunded</c>, so left out).
/// </summary>
public sealed class GetDashboard(KinderDbContext db, IOptions<PaymentsOptions> payments, TimeProvider time)
{
    private sealed record Counts(long Total, long New7d, long Active7d, long Upcoming, long Messages24h, long ReportsOpen,
        long Revenue30d);

    public async Task<Ok<DashboardResponse>> HandleAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var (weekAgo, dayAgo, monthAgo) = (now.AddDays(-7), now.AddDays(-1), now.AddDays(-30));
        var currency = payments.Value.Currency;
        var counts = (await db.ReadRawAsync("""
            SELECT (SELECT count(*) FROM users WHERE deleted_at IS NULL),
                   (SELECT count(*) FROM users WHERE created_at >= @week_ago AND deleted_at IS NULL),
                   (SELECT count(DISTINCT user_id) FROM refresh_tokens WHERE created_at >= @week_ago),
                   (SELECT count(*) FROM events WHERE status = 'Published' AND starts_at > @now),
                   (SELECT count(*) FROM messages WHERE created_at >= @day_ago),
                   (SELECT count(*) FROM reports WHERE status = 'Open'),
                   (SELECT coalesce(sum(amount_minor), 0)::bigint FROM payments
                     WHERE status = 'Succeeded' AND currency = @currency AND created_at >= @month_ago)
            """,
            [new("week_ago", weekAgo), new("day_ago", dayAgo), new("month_ago", monthAgo), new("now", now),
                new("currency", currency)],
            reader => new Counts(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3),
                reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6)), cancellationToken))[0];
        return TypedResults.Ok(new DashboardResponse(new DashboardUsers(counts.Total, counts.New7d, counts.Active7d),
            new DashboardEvents(counts.Upcoming), counts.Messages24h, counts.ReportsOpen,
            new MoneyResponse(counts.Revenue30d, currency)));
    }
}
