using System.Net;
using Kinder.Core;
using Kinder.Tests.Infrastructure;

namespace Kinder.Tests.Events.Discovery;

/// <summary><c>GET /events/discover</c>, the personalised feed, against real PostgreSQL and Redis.</summary>
public sealed class DiscoveryTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task An_event_matching_interests_near_on_a_free_day_ranks_above_one_matching_none()
    {
        var scene = new DiscoveryScene(api);
        var (_, client) = await scene.UserAsync(interests: [EventsDriver.HikingCategory], freeDays: ["saturday"]);
        var none = await scene.EventAsync("Cooking on a Tuesday", kmEast: 1, category: DiscoveryScene.CookingCategory,
            startsAt: DiscoveryScene.Next(DayOfWeek.Tuesday));
        var match = await scene.EventAsync("Saturday hike", kmEast: 1, startsAt: DiscoveryScene.Next(DayOfWeek.Saturday));

        var ids = DiscoveryScene.Ids(await DiscoveryScene.FeedAsync(client));

        Assert.True(ids.IndexOf(match) >= 0 && ids.IndexOf(match) < ids.IndexOf(none), string.Join(",", ids));
    }

    [Fact]
    public async Task Reasons_say_the_interest_the_distance_the_free_day_and_how_many_are_going()
    {
        var scene = new DiscoveryScene(api);
        var (_, client) = await scene.UserAsync(interests: [EventsDriver.HikingCategory], freeDays: ["saturday"]);
        var match = await scene.EventAsync("Saturday hike", kmEast: 2.4, startsAt: DiscoveryScene.Next(DayOfWeek.Saturday));

        var item = DiscoveryScene.Item(await DiscoveryScene.FeedAsync(client), match);

        var reasons = DiscoveryScene.Reasons(item);
        Assert.Contains("You like Hiking", reasons);
        Assert.Contains("2.4 km away", reasons);
        Assert.Contains("Saturday — you're usually free", reasons);
        Assert.Contains("1 going", reasons);
        Assert.True(item.GetProperty("score").GetDouble() > 0);
        Assert.Equal("Saturday hike", item.GetProperty("event").GetProperty("title").GetString());
    }

    [Fact]
    public async Task Every_item_carries_reasons()
    {
        var scene = new DiscoveryScene(api);
        var (_, client) = await scene.UserAsync();
        await scene.EventAsync("One", kmEast: 1);
        await scene.EventAsync("Two", kmEast: 3, category: DiscoveryScene.CookingCategory);
        await scene.EventAsync("Three", kmEast: 9, startsAt: DateTimeOffset.UtcNow.AddDays(20));

        var page = await DiscoveryScene.FeedAsync(client);

        Assert.Equal(3, page.GetProperty("items").GetArrayLength());
        Assert.All(page.GetProperty("items").EnumerateArray(), item => Assert.NotEmpty(DiscoveryScene.Reasons(item)));
    }

    [Fact]
    public async Task A_user_without_preferences_gets_popular_and_near_events_first()
    {
        var scene = new DiscoveryScene(api);
        var (_, client) = await scene.UserAsync();
        var quietFar = await scene.EventAsync("Quiet and far", kmEast: 15);
        var popularNear = await scene.EventAsync("Popular and near", kmEast: 0.5);
        await scene.GoingAsync(popularNear, 3);

        var ids = DiscoveryScene.Ids(await DiscoveryScene.FeedAsync(client));

        Assert.Equal([popularNear, quietFar], ids);
    }

    [Fact]
    public async Task The_given_point_wins_over_the_profile_location()
    {
        var scene = new DiscoveryScene(api);
        var elsewhere = new DiscoveryScene(api);
        var (_, client) = await scene.UserAsync();
        var there = await elsewhere.EventAsync("Over there");

        var page = await DiscoveryScene.FeedAsync(client,
            $"?latitude={elsewhere.Latitude.ToString(System.Globalization.CultureInfo.InvariantCulture)}"
            + $"&longitude={elsewhere.Longitude.ToString(System.Globalization.CultureInfo.InvariantCulture)}&radiusKm=5");

        Assert.Equal([there], DiscoveryScene.Ids(page));
        Assert.Equal(1.0, DiscoveryScene.Item(page, there).GetProperty("event").GetProperty("distanceKm").GetDouble(), 1);
    }

    [Fact]
    public async Task The_users_own_events_are_left_out()
    {
        var scene = new DiscoveryScene(api);
        var (_, client) = await scene.UserAsync();
        var other = await scene.EventAsync("Someone else's");
        await scene.EventAsync("Mine", organizer: client);

        Assert.Equal([other], DiscoveryScene.Ids(await DiscoveryScene.FeedAsync(client)));
    }

    [Fact]
    public async Task Cancelled_events_are_left_out()
    {
        var scene = new DiscoveryScene(api);
        var (_, client) = await scene.UserAsync();
        var other = await scene.EventAsync("Still on");
        var (_, organizer) = await scene.UserAsync();
        var cancelled = await scene.EventAsync("Called off", organizer: organizer);
        Assert.Equal(HttpStatusCode.NoContent, (await organizer.DeleteAsync($"/api/v1/events/{cancelled}")).StatusCode);

        Assert.Equal([other], DiscoveryScene.Ids(await DiscoveryScene.FeedAsync(client)));
    }

    [Fact]
    public async Task Events_answered_not_going_are_left_out()
    {
        var scene = new DiscoveryScene(api);
        var (_, client) = await scene.UserAsync();
        var other = await scene.EventAsync("Maybe");
        var declined = await scene.EventAsync("No thanks");
        Assert.Equal(HttpStatusCode.OK, (await client.AttendAsync(declined, "not_going")).StatusCode);

        Assert.Equal([other], DiscoveryScene.Ids(await DiscoveryScene.FeedAsync(client)));
    }

    [Fact]
    public async Task Events_outside_the_radius_are_left_out()
    {
        var scene = new DiscoveryScene(api);
        var (_, client) = await scene.UserAsync();
        var inside = await scene.EventAsync("Inside", kmEast: 4);
        await scene.EventAsync("A km outside", kmEast: 6);

        Assert.Equal([inside], DiscoveryScene.Ids(await DiscoveryScene.FeedAsync(client, "?radiusKm=5")));
    }

    [Fact]
    public async Task Events_that_have_started_are_left_out()
    {
        var scene = new DiscoveryScene(api);
        var (_, client) = await scene.UserAsync();
        var upcoming = await scene.EventAsync("Upcoming");
        await scene.StartedEventAsync("Already on");

        Assert.Equal([upcoming], DiscoveryScene.Ids(await DiscoveryScene.FeedAsync(client)));
    }

    [Fact]
    public async Task A_full_event_stays_and_says_going_joins_the_waitlist()
    {
        var scene = new DiscoveryScene(api);
        var (_, client) = await scene.UserAsync();
        var full = await scene.EventAsync("Tiny", capacity: 2);
        await scene.GoingAsync(full, 1);

        var item = DiscoveryScene.Item(await DiscoveryScene.FeedAsync(client), full);

        Assert.Contains("Full — going puts you on the waitlist", DiscoveryScene.Reasons(item));
    }

    [Fact]
    public async Task Sort_by_distance_puts_the_nearest_first()
    {
        var scene = new DiscoveryScene(api);
        var (_, client) = await scene.UserAsync(interests: [DiscoveryScene.CookingCategory]);
        var far = await scene.EventAsync("Far cooking", kmEast: 8, category: DiscoveryScene.CookingCategory);
        var near = await scene.EventAsync("Near hike", kmEast: 2);
        var nearest = await scene.EventAsync("Nearest hike", kmEast: 0.3);

        var ids = DiscoveryScene.Ids(await DiscoveryScene.FeedAsync(client, "?sort=distance"));

        Assert.Equal([nearest, near, far], ids);
    }

    [Fact]
    public async Task Paging_to_the_end_returns_each_event_once_while_events_are_added()
    {
        var scene = new DiscoveryScene(api);
        var (_, client) = await scene.UserAsync(interests: [EventsDriver.HikingCategory]);
        var created = new List<Guid>();
        for (var i = 0; i < 7; i++)
        {
            created.Add(await scene.EventAsync($"Event {i}", kmEast: 0.5 + i, startsAt: DateTimeOffset.UtcNow.AddDays(1 + i)));
        }

        var seen = new List<Guid>();
        var page = await DiscoveryScene.FeedAsync(client, "?limit=3");
        var pages = 1;
        while (true)
        {
            seen.AddRange(DiscoveryScene.Ids(page));
            // Newcomers rank high (nearest, soonest, liked): they must neither shift nor repeat what is paged.
            await scene.EventAsync($"Added after page {pages}", kmEast: 0.1, startsAt: DateTimeOffset.UtcNow.AddHours(12));
            if (!page.TryGetProperty("nextCursor", out var cursor))
            {
                break;
            }
            page = await DiscoveryScene.FeedAsync(client, $"?limit=3&cursor={cursor.GetString()}");
            pages++;
        }

        Assert.Equal(3, pages);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal(created.Order(), seen.Order());
    }

    [Fact]
    public async Task A_cursor_of_another_feed_is_400()
    {
        var (_, client) = await new DiscoveryScene(api).UserAsync();

        var response = await client.GetAsync("/api/v1/events/discover?cursor=bm90LWEtY3Vyc29y");

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, ErrorCodes.ValidationFailed);
    }

    [Fact]
    public async Task An_unknown_sort_is_400()
    {
        var (_, client) = await new DiscoveryScene(api).UserAsync();

        var response = await client.GetAsync("/api/v1/events/discover?sort=random");

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, ErrorCodes.ValidationFailed);
    }

    [Fact]
    public async Task The_feed_needs_a_signed_in_user()
    {
        var response = await api.CreateClient().GetAsync("/api/v1/events/discover");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task The_feed_is_documented_with_its_responses()
    {
        var document = await api.CreateClient().GetOpenApiDocumentAsync();

        document.AssertDocuments("get", "/api/v1/events/discover", "200", "400", "401");
    }
}
