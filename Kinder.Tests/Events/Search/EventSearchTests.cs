using System.Globalization;
using System.Net;
using Kinder.Core;
using Kinder.Core.Events;
using Kinder.Core.Identity;
using Kinder.Tests.Infrastructure;
using NetTopologySuite.Geometries;

namespace Kinder.Tests.Events.Search;

/// <summary><c>GET /events/search</c>: text, typos, filters, sorts.</summary>
public sealed class EventSearchTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static string Iso(DateTimeOffset time) => Uri.EscapeDataString(time.ToString("O", CultureInfo.InvariantCulture));

    private async Task<(User Organizer, HttpClient Client)> SearcherAsync()
    {
        var organizer = await api.CreateUserAsync(user => user.DisplayName = "Olga Organizer");
        return (organizer, api.CreateClientFor(organizer));
    }

    [Fact]
    public async Task A_match_in_the_title_outranks_one_in_the_description_which_outranks_one_in_the_place()
    {
        var (organizer, client) = await SearcherAsync();
        var word = SearchDriver.UniqueWord();
        var inPlace = await api.SeedAsync(organizer, "Evening meetup", e => e.Address = $"{word} square 4");
        var inTitle = await api.SeedAsync(organizer, $"The {word} gathering");
        var inDescription = await api.SeedAsync(organizer, "Morning walk", e => e.Description = $"We bring {word} along.");

        var page = await client.SearchAsync($"q={word}");

        Assert.Equal([inTitle.Id, inDescription.Id, inPlace.Id], page.Ids());
    }

    [Fact]
    public async Task A_typo_still_finds_hiking_events()
    {
        var (organizer, client) = await SearcherAsync();
        var hiking = await api.SeedAsync(organizer, "Hiking in the Grunewald");

        var page = await client.SearchAsync("q=hikng&limit=100");

        Assert.Contains(hiking.Id, page.Ids());
    }

    [Fact]
    public async Task A_full_text_match_outranks_a_match_only_by_a_typo()
    {
        var (organizer, client) = await SearcherAsync();
        var word = SearchDriver.UniqueWord();
        // The typo sits mid-word: at the end, English stemming could cut the changed letter off and make it a prefix match.
        var typo = word[..6] + (word[6] == 'a' ? 'b' : 'a') + word[7..];
        var close = await api.SeedAsync(organizer, $"{typo} picnic");
        var exact = await api.SeedAsync(organizer, "Afternoon walk", e => e.Description = $"Ask for {word} at the gate.");

        var page = await client.SearchAsync($"q={word}");

        Assert.Equal([exact.Id, close.Id], page.Ids());
    }

    [Fact]
    public async Task A_word_stem_finds_other_forms_of_it()
    {
        var (organizer, client) = await SearcherAsync();
        var word = SearchDriver.UniqueWord();
        var hikes = await api.SeedAsync(organizer, $"{word} hikes through the forest");

        var page = await client.SearchAsync($"q={word}+hiking");

        Assert.Equal([hikes.Id], page.Ids());
    }

    [Fact]
    public async Task The_category_filter_keeps_only_that_category()
    {
        var (organizer, client) = await SearcherAsync();
        var word = SearchDriver.UniqueWord();
        await api.SeedAsync(organizer, $"{word} hike");
        var camping = await api.SeedAsync(organizer, $"{word} camp", e => e.CategoryId = 202);

        var page = await client.SearchAsync($"q={word}&categoryId=202");

        Assert.Equal([camping.Id], page.Ids());
    }

    [Fact]
    public async Task The_date_range_keeps_events_starting_within_it()
    {
        var (organizer, client) = await SearcherAsync();
        var word = SearchDriver.UniqueWord();
        var start = DateTimeOffset.UtcNow.AddDays(10);
        await api.SeedAsync(organizer, $"{word} early", e => (e.StartsAt, e.EndsAt) = (start.AddDays(-2), start.AddDays(-2).AddHours(1)));
        var within = await api.SeedAsync(organizer, $"{word} within", e => (e.StartsAt, e.EndsAt) = (start.AddHours(5), start.AddHours(6)));
        await api.SeedAsync(organizer, $"{word} late", e => (e.StartsAt, e.EndsAt) = (start.AddDays(2), start.AddDays(2).AddHours(1)));

        var page = await client.SearchAsync($"q={word}&from={Iso(start)}&to={Iso(start.AddDays(1))}");

        Assert.Equal([within.Id], page.Ids());
    }

    [Fact]
    public async Task The_price_cap_keeps_events_costing_at_most_it()
    {
        var (organizer, client) = await SearcherAsync();
        var word = SearchDriver.UniqueWord();
        var free = await api.SeedAsync(organizer, $"{word} free");
        var cheap = await api.SeedAsync(organizer, $"{word} cheap", e => (e.PriceMinor, e.Currency) = (500, "EUR"));
        await api.SeedAsync(organizer, $"{word} dear", e => (e.PriceMinor, e.Currency) = (1500, "EUR"));

        var page = await client.SearchAsync($"q={word}&maxPriceMinor=1000&sort=date");

        Assert.Equal(new[] { free.Id, cheap.Id }.Order(), page.Ids().Order());
    }

    [Fact]
    public async Task Free_keeps_only_free_events()
    {
        var (organizer, client) = await SearcherAsync();
        var word = SearchDriver.UniqueWord();
        var free = await api.SeedAsync(organizer, $"{word} free");
        await api.SeedAsync(organizer, $"{word} cheap", e => (e.PriceMinor, e.Currency) = (500, "EUR"));

        var page = await client.SearchAsync($"q={word}&free=true");

        Assert.Equal([free.Id], page.Ids());
    }

    [Fact]
    public async Task The_radius_includes_an_event_inside_it_and_excludes_one_a_kilometre_outside()
    {
        var (organizer, client) = await SearcherAsync();
        var word = SearchDriver.UniqueWord();
        var inside = await api.SeedAsync(organizer, $"{word} inside",
            e => e.Location = new Point(SearchDriver.CenterLongitude, SearchDriver.LatitudeNorth(4)) { SRID = 4326 });
        await api.SeedAsync(organizer, $"{word} outside",
            e => e.Location = new Point(SearchDriver.CenterLongitude, SearchDriver.LatitudeNorth(6)) { SRID = 4326 });

        var page = await client.SearchAsync(
            $"q={word}&latitude={SearchDriver.CenterLatitude}&longitude={SearchDriver.CenterLongitude}&radiusKm=5");

        Assert.Equal([inside.Id], page.Ids());
        Assert.Equal(4, page.GetProperty("items")[0].GetProperty("distanceKm").GetDouble(), 0);
    }

    [Fact]
    public async Task The_distance_sort_puts_the_nearest_first()
    {
        var (organizer, client) = await SearcherAsync();
        var word = SearchDriver.UniqueWord();
        var far = await api.SeedAsync(organizer, $"{word} far",
            e => e.Location = new Point(SearchDriver.CenterLongitude, SearchDriver.LatitudeNorth(9)) { SRID = 4326 });
        var near = await api.SeedAsync(organizer, $"{word} near",
            e => e.Location = new Point(SearchDriver.CenterLongitude, SearchDriver.LatitudeNorth(1)) { SRID = 4326 });
        var middle = await api.SeedAsync(organizer, $"{word} middle",
            e => e.Location = new Point(SearchDriver.CenterLongitude, SearchDriver.LatitudeNorth(3)) { SRID = 4326 });

        var page = await client.SearchAsync(
            $"q={word}&latitude={SearchDriver.CenterLatitude}&longitude={SearchDriver.CenterLongitude}&sort=distance");

        Assert.Equal([near.Id, middle.Id, far.Id], page.Ids());
        var distances = page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("distanceKm").GetDouble()).ToList();
        Assert.Equal(distances.Order(), distances);
    }

    [Fact]
    public async Task The_popularity_sort_puts_the_most_going_first()
    {
        var (organizer, client) = await SearcherAsync();
        var word = SearchDriver.UniqueWord();
        var few = await api.SeedAsync(organizer, $"{word} few", e => e.GoingCount = 2);
        var many = await api.SeedAsync(organizer, $"{word} many", e => e.GoingCount = 30);

        var page = await client.SearchAsync($"q={word}&sort=popularity");

        Assert.Equal([many.Id, few.Id], page.Ids());
    }

    [Fact]
    public async Task Cancelled_ended_and_other_peoples_private_events_are_not_found()
    {
        var (organizer, client) = await SearcherAsync();
        var stranger = await api.CreateUserAsync();
        var word = SearchDriver.UniqueWord();
        var open = await api.SeedAsync(organizer, $"{word} open");
        var myPrivate = await api.SeedAsync(organizer, $"{word} mine", e => e.Visibility = EventVisibility.Private);
        await api.SeedAsync(stranger, $"{word} theirs", e => e.Visibility = EventVisibility.Private);
        await api.SeedAsync(organizer, $"{word} cancelled", e => e.Status = EventStatus.Cancelled);
        await api.SeedAsync(organizer, $"{word} ended", e => (e.StartsAt, e.EndsAt) =
            (DateTimeOffset.UtcNow.AddHours(-3), DateTimeOffset.UtcNow.AddHours(-1)));

        var page = await client.SearchAsync($"q={word}&sort=date");

        Assert.Equal(new[] { open.Id, myPrivate.Id }.Order(), page.Ids().Order());
    }

    [Fact]
    public async Task Results_are_the_event_shape_with_the_callers_status()
    {
        var (organizer, client) = await SearcherAsync();
        var word = SearchDriver.UniqueWord();
        var created = await client.CreateEventAsync(new Dictionary<string, object?>(EventsDriver.ValidEvent())
        {
            ["title"] = $"{word} by the lake",
        });

        var item = (await client.SearchAsync($"q={word}")).GetProperty("items")[0];

        Assert.Equal(created.GetProperty("id").GetGuid(), item.GetProperty("id").GetGuid());
        Assert.Equal("going", item.GetProperty("myStatus").GetString());
        Assert.Equal(organizer.Id, item.GetProperty("organizer").GetProperty("id").GetGuid());
        Assert.Equal(EventsDriver.HikingCategory, item.GetProperty("category").GetProperty("id").GetInt32());
        Assert.False(item.TryGetProperty("distanceKm", out _));
    }

    [Theory]
    [InlineData("sort=sideways", "sort")]
    [InlineData("sort=distance&q=hike", "sort")]
    [InlineData("sort=relevance", "sort")]
    [InlineData("q=%21%21%21", "q")]
    [InlineData("latitude=91&longitude=13", "latitude")]
    [InlineData("latitude=52", "longitude")]
    [InlineData("radiusKm=5", "radiusKm")]
    [InlineData("latitude=52&longitude=13&radiusKm=0", "radiusKm")]
    [InlineData("maxPriceMinor=-1", "maxPriceMinor")]
    [InlineData("from=2030-02-01T00:00:00Z&to=2030-01-01T00:00:00Z", "to")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=101", "limit")]
    [InlineData("cursor=not-a-cursor", "cursor")]
    [InlineData("cursor=eyJzb3J0IjoiZGF0ZSJ9", "cursor")]
    public async Task Invalid_parameters_are_field_errors(string query, string field)
    {
        var (_, client) = await SearcherAsync();

        var response = await client.GetAsync("/api/v1/events/search?" + query);

        await response.AssertFieldErrorAsync(field);
    }

    [Fact]
    public async Task A_cursor_from_another_sort_is_a_field_error()
    {
        var (organizer, client) = await SearcherAsync();
        var word = SearchDriver.UniqueWord();
        await api.SeedAsync(organizer, $"{word} one");
        await api.SeedAsync(organizer, $"{word} two");
        var cursor = (await client.SearchAsync($"q={word}&limit=1")).NextCursor();

        var response = await client.GetAsync($"/api/v1/events/search?q={word}&sort=date&cursor={cursor}");

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, ErrorCodes.ValidationFailed);
    }

    [Fact]
    public async Task Search_needs_a_signed_in_caller()
    {
        var response = await api.CreateClient().GetAsync("/api/v1/events/search?q=hike");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task The_endpoint_is_documented_with_its_responses()
    {
        var document = await api.CreateClient().GetOpenApiDocumentAsync();

        document.AssertDocuments("get", "/api/v1/events/search", "200", "400", "401");
    }
}
