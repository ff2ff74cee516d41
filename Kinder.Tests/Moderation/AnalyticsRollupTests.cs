using System.Text.Json;
using Kinder.Tests.Infrastructure;
using Kinder.Workers.Admin;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Tests.Moderation;

/// <summary>
/// <c>GET /admin/analytics</c> answers the same from Workers' daily rollup as counted live; today stays live, and a
/// finished day is read from the rollup (a late change to a day older than <c>Analytics:RefreshDays</c>, 14 here, is
/// not counted again, as documented); weeks add up their days.
/// </summary>
public sealed class AnalyticsRollupTests(AdminWorkersStack stack) : IClassFixture<AdminWorkersStack>
{
    [Fact]
    public async Task Finished_days_are_read_from_the_rollup_today_is_counted_live_and_weeks_add_up()
    {
        var api = stack.Api;
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var now = DateTimeOffset.UtcNow;
        foreach (var daysAgo in new[] { 1, 1, 2, 10, 10, 10 })
        {
            await SignedUpAsync(now.AddDays(-daysAgo));
        }
        var (_, admin) = await api.CreateStaffAsync("admin");
        var path = $"/api/v1/admin/analytics?from={today.AddDays(-20):yyyy-MM-dd}&to={today:yyyy-MM-dd}&interval=day";

        await stack.Periodic<DailyActivityRollup>().RollUpAsync(CancellationToken.None);

        var live = Signups(await admin.GetJsonAsync(path));
        Assert.Equal(21, live.Count);
        Assert.Equal(3, live[today.AddDays(-10)]);
        Assert.Equal(2, live[today.AddDays(-1)]);
        await using (var db = TestDatabases.CreateContext(api.DatabaseConnectionString))
        {
            // The series is what the users table says, day by day.
            var createdAt = await db.Users.Select(u => u.CreatedAt).ToListAsync();
            foreach (var (day, signups) in live)
            {
                Assert.Equal(createdAt.Count(at => DateOnly.FromDateTime(at.UtcDateTime) == day), signups);
            }
            Assert.Equal(20, await db.DailyActivity.CountAsync(day => day.Day >= today.AddDays(-20) && day.Day < today));
            Assert.False(await db.DailyActivity.AnyAsync(day => day.Day >= today)); // today is never stored
        }

        // A signup today shows at once; one dated into a finished day older than the refresh window does not.
        await api.CreateUserAsync();
        await SignedUpAsync(now.AddDays(-18));
        var after = Signups(await admin.GetJsonAsync(path));
        Assert.Equal(live[today] + 1, after[today]);
        Assert.Equal(0, after[today.AddDays(-18)]);
        await stack.Periodic<DailyActivityRollup>().RollUpAsync(CancellationToken.None);
        Assert.Equal(0, Signups(await admin.GetJsonAsync(path))[today.AddDays(-18)]);

        var weekly = await admin.GetJsonAsync(path.Replace("interval=day", "interval=week"));
        var weeks = Signups(weekly);
        Assert.All(weeks.Keys, monday => Assert.Equal(DayOfWeek.Monday, monday.DayOfWeek));
        Assert.Equal(after.Where(day => day.Key >= weeks.Keys.Min()).Sum(day => day.Value), weeks.Values.Sum());
    }

    /// <summary>A user who signed up then (created_at is set once, so moved back in the database).</summary>
    private async Task SignedUpAsync(DateTimeOffset at)
    {
        var user = await stack.Api.CreateUserAsync();
        await using var db = TestDatabases.CreateContext(stack.Api.DatabaseConnectionString);
        await db.Users.Where(u => u.Id == user.Id).ExecuteUpdateAsync(set => set.SetProperty(u => u.CreatedAt, at));
    }

    private static Dictionary<DateOnly, long> Signups(JsonElement analytics) =>
        analytics.GetProperty("series").EnumerateArray().ToDictionary(
            point => DateOnly.Parse(point.GetProperty("date").GetString()!, System.Globalization.CultureInfo.InvariantCulture),
            point => point.GetProperty("signups").GetInt64());
}
