using System.Net;
using System.Text.Json;
using Kinder.Core.Events;
using Kinder.Core.Identity;
using Kinder.Core.Preferences;
using Kinder.Tests.Infrastructure;
using NetTopologySuite.Geometries;

namespace Kinder.Tests.Events.Discovery;

/// <summary>
/// A place of its own per test (a random spot on the map, so tests sharing a database do not see each other's events),
/// events around it, users with preferences, and reading the feed.
/// </summary>
public sealed class DiscoveryScene(ApiFactory api)
{
    public const int CookingCategory = 501;

    public double Latitude { get; } = Random.Shared.NextDouble() * 100 - 45;
    public double Longitude { get; } = Random.Shared.NextDouble() * 340 - 170;

    public Point Center => new(Longitude, Latitude) { SRID = 4326 };

    /// <summary>A point <paramref name="km"/> east of the center.</summary>
    public (double Latitude, double Longitude) East(double km) =>
        (Latitude, Longitude + km / (111.32 * Math.Cos(Latitude * Math.PI / 180)));

    public async Task<(User User, HttpClient Client)> UserAsync(IReadOnlyList<int>? interests = null,
        IReadOnlyList<string>? freeDays = null, bool located = true)
    {
        var user = await api.CreateUserAsync(u => u.Location = located ? Center : null);
        await using var db = TestDatabases.CreateContext(api.DatabaseConnectionString);
        if (interests is not null)
        {
            db.UserPreferences.Add(new UserPreference
            {
                UserId = user.Id, Key = PreferenceKeys.Interests, Value = JsonSerializer.Serialize(interests),
            });
        }
        if (freeDays is not null)
        {
            db.UserPreferences.Add(new UserPreference
            {
                UserId = user.Id,
                Key = PreferenceKeys.Availability,
                Value = JsonSerializer.Serialize(new WeekendAvailability { Days = freeDays }, JsonSerializerOptions.Web),
            });
        }
        await db.SaveChangesAsync();
        return (user, api.CreateClientFor(user));
    }

    public async Task<Guid> EventAsync(string title, double kmEast = 1, int category = EventsDriver.HikingCategory,
        DateTimeOffset? startsAt = null, int? capacity = null, HttpClient? organizer = null)
    {
        var body = EventsDriver.ValidEvent(capacity: capacity);
        var (latitude, longitude) = East(kmEast);
        var starts = startsAt ?? DateTimeOffset.UtcNow.AddDays(3);
        body["title"] = title;
        body["categoryId"] = category;
        body["location"] = new { latitude, longitude, address = "Somewhere", city = "Testville" };
        body["startsAt"] = starts.ToString("O");
        body["endsAt"] = starts.AddHours(2).ToString("O");
        if (organizer is not null)
        {
            return (await organizer.CreateEventAsync(body)).GetProperty("id").GetGuid();
        }
        var (_, _, id) = await api.CreateOrganizedEventAsync(body);
        return id;
    }

    /// <summary>An event that has already started, written straight to the database (the Api refuses past starts).</summary>
    public async Task<Guid> StartedEventAsync(string title)
    {
        var organizer = await api.CreateUserAsync();
        var (latitude, longitude) = East(1);
        var @event = new Event
        {
            OrganizerId = organizer.Id,
            Title = title,
            Location = new Point(longitude, latitude) { SRID = 4326 },
            StartsAt = DateTimeOffset.UtcNow.AddHours(-1),
            EndsAt = DateTimeOffset.UtcNow.AddHours(1),
            CategoryId = EventsDriver.HikingCategory,
            GoingCount = 1,
        };
        await using var db = TestDatabases.CreateContext(api.DatabaseConnectionString);
        db.Events.Add(@event);
        await db.SaveChangesAsync();
        return @event.Id;
    }

    public async Task GoingAsync(Guid eventId, int people)
    {
        for (var i = 0; i < people; i++)
        {
            var response = await api.CreateClientFor(await api.CreateUserAsync()).AttendAsync(eventId, "going");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    public static DateTimeOffset Next(DayOfWeek day, int hourUtc = 10)
    {
        var date = DateTimeOffset.UtcNow.UtcDateTime.Date.AddDays(2);
        while (date.DayOfWeek != day)
        {
            date = date.AddDays(1);
        }
        return new DateTimeOffset(date.AddHours(hourUtc), TimeSpan.Zero);
    }

    public static async Task<JsonElement> FeedAsync(HttpClient client, string query = "")
    {
        var response = await client.GetAsync($"/api/v1/events/discover{query}");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement;
    }

    public static List<Guid> Ids(JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("event").GetProperty("id").GetGuid())
            .ToList();

    public static JsonElement Item(JsonElement page, Guid eventId) =>
        page.GetProperty("items").EnumerateArray()
            .Single(item => item.GetProperty("event").GetProperty("id").GetGuid() == eventId);

    public static List<string> Reasons(JsonElement item) =>
        item.GetProperty("reasons").EnumerateArray().Select(reason => reason.GetString()!).ToList();
}
