using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kinder.Core.Identity;
using Kinder.Tests.Infrastructure;

namespace Kinder.Tests.Events;

/// <summary>Valid event bodies and an organizer's events created through the Api.</summary>
public static class EventsDriver
{
    public const int HikingCategory = 201;

    public static Dictionary<string, object?> ValidEvent(int? capacity = null, long priceMinor = 0,
        string? currency = null, string visibility = "public") => new()
    {
        ["title"] = "Sunrise hike",
        ["description"] = "Up the hill before breakfast.",
        ["startsAt"] = DateTimeOffset.UtcNow.AddDays(3).ToString("O"),
        ["endsAt"] = DateTimeOffset.UtcNow.AddDays(3).AddHours(3).ToString("O"),
        ["location"] = new { latitude = 52.52, longitude = 13.405, address = "Teufelsberg", city = "Berlin" },
        ["categoryId"] = HikingCategory,
        ["capacity"] = capacity,
        ["priceMinor"] = priceMinor,
        ["currency"] = currency,
        ["imageKeys"] = Array.Empty<string>(),
        ["visibility"] = visibility,
    };

    public static async Task<JsonElement> CreateEventAsync(this HttpClient organizer, Dictionary<string, object?> body)
    {
        var response = await organizer.PostAsJsonAsync("/api/v1/events", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, text);
        return JsonDocument.Parse(text).RootElement;
    }

    public static async Task<(User Organizer, HttpClient Client, Guid EventId)> CreateOrganizedEventAsync(this ApiFactory api,
        Dictionary<string, object?> body)
    {
        var organizer = await api.CreateUserAsync(user => user.DisplayName = "Olga Organizer");
        var client = api.CreateClientFor(organizer);
        var created = await client.CreateEventAsync(body);
        return (organizer, client, created.GetProperty("id").GetGuid());
    }

    public static Task<HttpResponseMessage> AttendAsync(this HttpClient client, Guid eventId, string status) =>
        client.PostAsJsonAsync($"/api/v1/events/{eventId}/attendance", new { status });
}
