using Kinder.Core.Identity;
using Kinder.Tests.Infrastructure;
using NetTopologySuite.Geometries;

namespace Kinder.Tests.Events.Search;

/// <summary>Search cursors: every matching event exactly once, in order, also while events are added.</summary>
public sealed class EventSearchPagingTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private const int Seeded = 13;
    private const int PageSize = 4;

    /// <summary>Events whose sort keys tie in pairs, so that the id tiebreak is what keeps pages apart.</summary>
    private Task<Core.Events.Event> SeedAsync(User organizer, string word, int index) =>
        api.SeedAsync(organizer, $"{word} outing", e =>
        {
            e.StartsAt = DateTimeOffset.UtcNow.Date.AddDays(5 + index / 2).ToUniversalTime();
            e.EndsAt = e.StartsAt.AddHours(2);
            e.GoingCount = 1 + index / 2;
            e.Location = new Point(SearchDriver.CenterLongitude, SearchDriver.LatitudeNorth(index / 2)) { SRID = 4326 };
        });

    [Theory]
    [InlineData("relevance")]
    [InlineData("date")]
    [InlineData("popularity")]
    [InlineData("distance")]
    public async Task Paging_to_the_end_returns_each_event_once_while_events_are_added(string sort)
    {
        var organizer = await api.CreateUserAsync();
        var client = api.CreateClientFor(organizer);
        var word = SearchDriver.UniqueWord();
        var seeded = new List<Guid>();
        for (var index = 0; index < Seeded; index++)
        {
            seeded.Add((await SeedAsync(organizer, word, index)).Id);
        }

        var query = $"q={word}&sort={sort}&limit={PageSize}" +
            $"&latitude={SearchDriver.CenterLatitude}&longitude={SearchDriver.CenterLongitude}";
        var seen = new List<Guid>();
        string? cursor = null;
        var added = 0;
        do
        {
            var page = await client.SearchAsync(query + (cursor is null ? "" : $"&cursor={cursor}"));
            var ids = page.Ids();
            Assert.InRange(ids.Count, 1, PageSize);
            seen.AddRange(ids);
            cursor = page.NextCursor();
            // Between pages, events that sort first and last arrive (and ones tying with what was already seen).
            await SeedAsync(organizer, word, 0);
            await SeedAsync(organizer, word, Seeded + added++);
        }
        while (cursor is not null);

        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.All(seeded, id => Assert.Contains(id, seen));
    }

    [Fact]
    public async Task Pages_follow_the_date_order_across_the_cursor()
    {
        var organizer = await api.CreateUserAsync();
        var client = api.CreateClientFor(organizer);
        var word = SearchDriver.UniqueWord();
        var seeded = new List<Core.Events.Event>();
        for (var index = 0; index < 7; index++)
        {
            seeded.Add(await SeedAsync(organizer, word, index));
        }
        var expected = seeded.OrderBy(e => e.StartsAt).ThenBy(e => e.Id).Select(e => e.Id).ToList();

        var first = await client.SearchAsync($"q={word}&sort=date&limit=3");
        var second = await client.SearchAsync($"q={word}&sort=date&limit=3&cursor={first.NextCursor()}");
        var third = await client.SearchAsync($"q={word}&sort=date&limit=3&cursor={second.NextCursor()}");

        Assert.Equal(expected, first.Ids().Concat(second.Ids()).Concat(third.Ids()));
        Assert.Null(third.NextCursor());
    }
}
