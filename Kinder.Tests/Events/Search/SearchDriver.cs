using System.Text.Json;
using Kinder.Core.Events;
using Kinder.Core.Identity;
using Kinder.Tests.Infrastructure;
using NetTopologySuite.Geometries;

namespace Kinder.Tests.Events.Search;

/// <summary>Events written straight to the database for searching, each test under its own made-up word.</summary>
public static class SearchDriver
{
    public const double CenterLatitude = 52.52;
    public const double CenterLongitude = 13.405;

    /// <summary>A word no other test uses (letters only, so it is one search term).</summary>
    public static string UniqueWord() =>
        "zq" + new string(Guid.NewGuid().ToString("N").Select(c => (char)('a' + Convert.ToInt32(c.ToString(), 16))).ToArray())[..10];

    /// <summary>A point <paramref name="km"/> north of the centre.</summary>
    public static double LatitudeNorth(double km) => CenterLatitude + km / 111.2;

    public static async Task<Event> SeedAsync(this ApiFactory api, User organizer, string title,
        Action<Event>? configure = null)
    {
        var @event = new Event
        {
            OrganizerId = organizer.Id,
            Title = title,
            StartsAt = DateTimeOffset.UtcNow.AddDays(3),
            EndsAt = DateTimeOffset.UtcNow.AddDays(3).AddHours(2),
            Location = new Point(CenterLongitude, CenterLatitude) { SRID = 4326 },
            CategoryId = EventsDriver.HikingCategory,
            GoingCount = 1,
        };
        configure?.Invoke(@event);
        await using var db = TestDatabases.CreateContext(api.DatabaseConnectionString);
        db.Events.Add(@event);
        await db.SaveChangesAsync();
        return @event;
    }

    public static async Task<JsonElement> SearchAsync(this HttpClient client, string query)
    {
        var response = await client.GetAsync("/api/v1/events/search?" + query);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonDocument.Parse(text).RootElement;
    }

    /// <summary>The page's nextCursor; null (left out of the JSON) on the last page.</summary>
    public static string? NextCursor(this JsonElement page) =>
        page.TryGetProperty("nextCursor", out var cursor) ? cursor.GetString() : null;

    public static List<Guid> Ids(this JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("id").GetGuid()).ToList();
}
