using Kinder.Core.Events;
using Kinder.Tests.Infrastructure;
using NetTopologySuite.Geometries;

namespace Kinder.Tests.Events.Search;

/// <summary>
/// Search reads public events and the caller's own private ones separately (EventSearchQuery): both halves, and events
/// that have started but not ended, are found in every sort and page by page.
/// </summary>
public sealed class EventSearchVisibilityTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Theory]
    [InlineData("relevance")]
    [InlineData("date")]
    [InlineData("popularity")]
    [InlineData("distance")]
    public async Task Ongoing_events_and_private_events_the_caller_organizes_or_answered_are_found_page_by_page(string sort)
    {
        var caller = await api.CreateUserAsync();
        var stranger = await api.CreateUserAsync();
        var word = SearchDriver.UniqueWord();
        var now = DateTimeOffset.UtcNow;
        var startedToday = await api.SeedAsync(stranger, $"{word} started today",
            e => (e.StartsAt, e.EndsAt) = (now.AddHours(-2), now.AddHours(1)));
        // Within Event.MaxDuration: began well before the day's events, still on.
        var startedLastWeek = await api.SeedAsync(stranger, $"{word} started last week", e =>
        {
            (e.StartsAt, e.EndsAt) = (now.AddDays(-10), now.AddDays(1));
            e.Location = new Point(SearchDriver.CenterLongitude, SearchDriver.LatitudeNorth(2)) { SRID = 4326 };
        });
        var mine = await api.SeedAsync(caller, $"{word} mine", e =>
        {
            e.Visibility = EventVisibility.Private;
            e.GoingCount = 40;
            e.Location = new Point(SearchDriver.CenterLongitude, SearchDriver.LatitudeNorth(1)) { SRID = 4326 };
        });
        var answered = await api.SeedAsync(stranger, $"{word} answered", e =>
        {
            e.Visibility = EventVisibility.Private;
            (e.StartsAt, e.EndsAt) = (now.AddHours(-1), now.AddHours(2));
        });
        await api.SeedAsync(stranger, $"{word} not answered", e => e.Visibility = EventVisibility.Private);
        await api.SeedAsync(stranger, $"{word} ended", e => (e.StartsAt, e.EndsAt) = (now.AddHours(-3), now.AddHours(-1)));
        var upcoming = await api.SeedAsync(stranger, $"{word} upcoming", e => e.GoingCount = 25);
        await using (var db = TestDatabases.CreateContext(api.DatabaseConnectionString))
        {
            db.EventAttendances.Add(new EventAttendance
            {
                EventId = answered.Id, UserId = caller.Id, Status = AttendanceStatus.Interested, Sequence = 1,
            });
            await db.SaveChangesAsync();
        }
        var client = api.CreateClientFor(caller);

        var query = $"q={word}&sort={sort}&limit=2&latitude={SearchDriver.CenterLatitude}" +
            $"&longitude={SearchDriver.CenterLongitude}&radiusKm=5";
        var seen = new List<Guid>();
        string? cursor = null;
        do
        {
            var page = await client.SearchAsync(query + (cursor is null ? "" : $"&cursor={cursor}"));
            seen.AddRange(page.Ids());
            cursor = page.NextCursor();
        }
        while (cursor is not null);

        Assert.Equal(
            new[] { startedToday.Id, startedLastWeek.Id, mine.Id, answered.Id, upcoming.Id }.Order(),
            seen.Order());
    }
}
