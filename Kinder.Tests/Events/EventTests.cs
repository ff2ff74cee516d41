using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kinder.Core;
using Kinder.Core.Events;
using Kinder.Messaging;
using Kinder.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Tests.Events;

/// <summary>Events: create, read, replace and cancel.</summary>
public sealed class EventTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Create_answers_201_with_the_event_and_its_location()
    {
        var organizer = await api.CreateUserAsync(user => user.DisplayName = "Olga Organizer");
        var response = await api.CreateClientFor(organizer).PostAsJsonAsync("/api/v1/events",
            EventsDriver.ValidEvent(capacity: 12, priceMinor: 0));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.ReadJsonAsync();
        var id = body.GetProperty("id").GetGuid();
        Assert.Equal($"/api/v1/events/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("Sunrise hike", body.GetProperty("title").GetString());
        Assert.Equal(52.52, body.GetProperty("location").GetProperty("latitude").GetDouble(), 6);
        Assert.Equal(13.405, body.GetProperty("location").GetProperty("longitude").GetDouble(), 6);
        Assert.Equal("Teufelsberg", body.GetProperty("location").GetProperty("address").GetString());
        Assert.Equal("Berlin", body.GetProperty("location").GetProperty("city").GetString());
        Assert.Equal(EventsDriver.HikingCategory, body.GetProperty("category").GetProperty("id").GetInt32());
        Assert.Equal(12, body.GetProperty("capacity").GetInt32());
        Assert.Equal(organizer.Id, body.GetProperty("organizer").GetProperty("id").GetGuid());
        Assert.Equal("Olga Organizer", body.GetProperty("organizer").GetProperty("displayName").GetString());
        Assert.Equal(1, body.GetProperty("goingCount").GetInt32());
        Assert.Equal("going", body.GetProperty("myStatus").GetString());
        Assert.Equal("published", body.GetProperty("status").GetString());
        Assert.Equal(0, body.GetProperty("imageUrls").GetArrayLength());
        Assert.False(body.TryGetProperty("distanceKm", out _));
    }

    [Fact]
    public async Task Create_stores_the_place_as_a_geography_point()
    {
        var (_, _, eventId) = await api.CreateOrganizedEventAsync(EventsDriver.ValidEvent());

        await using var db = TestDatabases.CreateContext(api.DatabaseConnectionString);
        var stored = await db.Events.SingleAsync(e => e.Id == eventId);
        Assert.Equal(4326, stored.Location.SRID);
        Assert.Equal(13.405, stored.Location.X, 6);
        Assert.Equal(52.52, stored.Location.Y, 6);
    }

    [Fact]
    public async Task Create_by_an_unverified_user_is_403()
    {
        var user = await api.CreateUserAsync(u => u.EmailVerified = false);

        var response = await api.CreateClientFor(user).PostAsJsonAsync("/api/v1/events", EventsDriver.ValidEvent());

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, ErrorCodes.EmailNotVerified);
    }

    public static TheoryData<string, string, object?> InvalidEvents() => new()
    {
        { "title", "title", "ab" },
        { "title", "title", new string('t', 121) },
        { "title", "title", null },
        { "description", "description", new string('d', 5001) },
        { "startsAt", "startsAt", DateTimeOffset.UtcNow.AddHours(-1).ToString("O") },
        { "endsAt", "endsAt", DateTimeOffset.UtcNow.AddDays(3).AddHours(-1).ToString("O") },
        { "endsAt", "endsAt", DateTimeOffset.UtcNow.AddDays(20).ToString("O") },
        { "capacity", "capacity", 0 },
        { "priceMinor", "priceMinor", -1 },
        { "currency", "currency", "EURO" },
        { "currency", "currency", "E1R" },
        { "location.latitude", "location", new { latitude = 91, longitude = 0 } },
        { "location.longitude", "location", new { latitude = 0, longitude = 181 } },
        { "location.latitude", "location", new { longitude = 10 } },
        { "location", "location", null },
        { "categoryId", "categoryId", 99999 },
        { "categoryId", "categoryId", null },
    };

    [Theory]
    [MemberData(nameof(InvalidEvents))]
    public async Task Create_with_an_invalid_field_is_a_validation_error_naming_it(string field, string member, object? value)
    {
        var user = await api.CreateUserAsync();
        var body = EventsDriver.ValidEvent();
        body[member] = value;

        var response = await api.CreateClientFor(user).PostAsJsonAsync("/api/v1/events", body);

        var problem = await response.AssertFieldErrorAsync(field);
    }

    [Fact]
    public async Task Create_with_a_price_and_no_currency_is_a_validation_error()
    {
        var user = await api.CreateUserAsync();

        var response = await api.CreateClientFor(user).PostAsJsonAsync("/api/v1/events",
            EventsDriver.ValidEvent(priceMinor: 1500));

        await response.AssertFieldErrorAsync("currency");
    }

    [Fact]
    public async Task Create_with_a_price_keeps_the_upper_case_currency()
    {
        var (_, client, eventId) = await api.CreateOrganizedEventAsync(EventsDriver.ValidEvent(priceMinor: 1500, currency: "eur"));

        var body = await (await client.GetAsync($"/api/v1/events/{eventId}")).ReadJsonAsync();

        Assert.Equal(1500, body.GetProperty("priceMinor").GetInt64());
        Assert.Equal("EUR", body.GetProperty("currency").GetString());
    }

    [Fact]
    public async Task Get_with_a_point_answers_the_distance_in_km()
    {
        var (_, client, eventId) = await api.CreateOrganizedEventAsync(EventsDriver.ValidEvent());

        // Berlin centre to Potsdam: about 26.6 km.
        var body = await (await client.GetAsync($"/api/v1/events/{eventId}?latitude=52.3906&longitude=13.0645")).ReadJsonAsync();

        Assert.InRange(body.GetProperty("distanceKm").GetDouble(), 26, 28);
    }

    [Fact]
    public async Task Get_an_unknown_event_is_404()
    {
        var user = await api.CreateUserAsync();

        var response = await api.CreateClientFor(user).GetAsync($"/api/v1/events/{Guid.NewGuid()}");

        await response.AssertProblemAsync(HttpStatusCode.NotFound, ErrorCodes.NotFound);
    }

    [Fact]
    public async Task A_private_event_is_404_to_someone_not_on_it()
    {
        var (_, _, eventId) = await api.CreateOrganizedEventAsync(EventsDriver.ValidEvent(visibility: "private"));
        var stranger = api.CreateClientFor(await api.CreateUserAsync());

        var response = await stranger.GetAsync($"/api/v1/events/{eventId}");

        await response.AssertProblemAsync(HttpStatusCode.NotFound, ErrorCodes.NotFound);
    }

    [Fact]
    public async Task Categories_are_the_interest_catalog_and_need_no_sign_in()
    {
        var response = await api.CreateClient().GetAsync("/api/v1/events/categories");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.Contains(body.EnumerateArray(), c => c.GetProperty("id").GetInt32() == EventsDriver.HikingCategory
            && c.GetProperty("slug").GetString() == "hiking");
    }

    [Fact]
    public async Task Update_by_the_organizer_replaces_the_fields()
    {
        var (_, client, eventId) = await api.CreateOrganizedEventAsync(EventsDriver.ValidEvent());
        var body = EventsDriver.ValidEvent(capacity: 5);
        body["title"] = "Sunset hike";

        var response = await client.PutAsJsonAsync($"/api/v1/events/{eventId}", body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var updated = await response.ReadJsonAsync();
        Assert.Equal("Sunset hike", updated.GetProperty("title").GetString());
        Assert.Equal(5, updated.GetProperty("capacity").GetInt32());
    }

    [Fact]
    public async Task Update_with_an_invalid_field_is_a_validation_error_naming_it()
    {
        var (_, client, eventId) = await api.CreateOrganizedEventAsync(EventsDriver.ValidEvent());
        var body = EventsDriver.ValidEvent();
        body["endsAt"] = body["startsAt"];

        var response = await client.PutAsJsonAsync($"/api/v1/events/{eventId}", body);

        await response.AssertFieldErrorAsync("endsAt");
    }

    [Fact]
    public async Task Update_below_the_number_going_is_a_validation_error()
    {
        var (_, client, eventId) = await api.CreateOrganizedEventAsync(EventsDriver.ValidEvent(capacity: 3));
        var guest = api.CreateClientFor(await api.CreateUserAsync());
        Assert.Equal(HttpStatusCode.OK, (await guest.AttendAsync(eventId, "going")).StatusCode);

        var response = await client.PutAsJsonAsync($"/api/v1/events/{eventId}", EventsDriver.ValidEvent(capacity: 1));

        await response.AssertFieldErrorAsync("capacity");
    }

    [Fact]
    public async Task Update_by_someone_else_who_can_see_it_is_403()
    {
        var (_, _, eventId) = await api.CreateOrganizedEventAsync(EventsDriver.ValidEvent());
        var other = api.CreateClientFor(await api.CreateUserAsync());

        var response = await other.PutAsJsonAsync($"/api/v1/events/{eventId}", EventsDriver.ValidEvent());

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
    }

    [Fact]
    public async Task Update_of_a_private_event_by_someone_not_on_it_is_404()
    {
        var (_, _, eventId) = await api.CreateOrganizedEventAsync(EventsDriver.ValidEvent(visibility: "private"));
        var other = api.CreateClientFor(await api.CreateUserAsync());

        var response = await other.PutAsJsonAsync($"/api/v1/events/{eventId}", EventsDriver.ValidEvent());

        await response.AssertProblemAsync(HttpStatusCode.NotFound, ErrorCodes.NotFound);
    }

    [Fact]
    public async Task A_new_time_and_place_write_rescheduled_and_relocated_events_with_the_attendees()
    {
        var (organizer, client, eventId) = await api.CreateOrganizedEventAsync(EventsDriver.ValidEvent());
        var guest = await api.CreateUserAsync();
        await api.CreateClientFor(guest).AttendAsync(eventId, "interested");
        var body = EventsDriver.ValidEvent();
        body["startsAt"] = DateTimeOffset.UtcNow.AddDays(4).ToString("O");
        body["endsAt"] = DateTimeOffset.UtcNow.AddDays(4).AddHours(2).ToString("O");
        body["location"] = new { latitude = 48.137, longitude = 11.575, address = "Marienplatz", city = "Munich" };

        var response = await client.PutAsJsonAsync($"/api/v1/events/{eventId}", body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var rescheduled = await SingleOutboxPayloadAsync(eventId, "EventRescheduled");
        Assert.Equal([guest.Id], rescheduled.GetProperty("attendeeIds").EnumerateArray().Select(x => x.GetGuid()));
        var relocated = await SingleOutboxPayloadAsync(eventId, "EventRelocated");
        Assert.Equal("Munich", relocated.GetProperty("city").GetString());
        Assert.Equal([guest.Id], relocated.GetProperty("attendeeIds").EnumerateArray().Select(x => x.GetGuid()));
        Assert.DoesNotContain(organizer.Id, relocated.GetProperty("attendeeIds").EnumerateArray().Select(x => x.GetGuid()));
    }

    [Fact]
    public async Task Cancel_by_the_organizer_is_204_and_marks_the_event_cancelled()
    {
        var (_, client, eventId) = await api.CreateOrganizedEventAsync(EventsDriver.ValidEvent());

        var response = await client.DeleteAsync($"/api/v1/events/{eventId}");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var body = await (await client.GetAsync($"/api/v1/events/{eventId}")).ReadJsonAsync();
        Assert.Equal("cancelled", body.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Cancel_writes_the_cancelled_event_with_the_attendee_ids()
    {
        var (_, client, eventId) = await api.CreateOrganizedEventAsync(EventsDriver.ValidEvent());
        var going = await api.CreateUserAsync();
        var interested = await api.CreateUserAsync();
        await api.CreateClientFor(going).AttendAsync(eventId, "going");
        await api.CreateClientFor(interested).AttendAsync(eventId, "interested");

        await client.DeleteAsync($"/api/v1/events/{eventId}");

        var payload = await SingleOutboxPayloadAsync(eventId, "EventCancelled", Topics.EventChanges);
        Assert.Equal(new[] { going.Id, interested.Id }.Order(),
            payload.GetProperty("attendeeIds").EnumerateArray().Select(x => x.GetGuid()).Order());
    }

    [Fact]
    public async Task Cancel_by_someone_else_is_403()
    {
        var (_, _, eventId) = await api.CreateOrganizedEventAsync(EventsDriver.ValidEvent());
        var other = api.CreateClientFor(await api.CreateUserAsync());

        var response = await other.DeleteAsync($"/api/v1/events/{eventId}");

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        await using var db = TestDatabases.CreateContext(api.DatabaseConnectionString);
        Assert.Equal(EventStatus.Published, (await db.Events.SingleAsync(e => e.Id == eventId)).Status);
    }

    [Fact]
    public async Task A_cancelled_event_cannot_be_changed()
    {
        var (_, client, eventId) = await api.CreateOrganizedEventAsync(EventsDriver.ValidEvent());
        await client.DeleteAsync($"/api/v1/events/{eventId}");

        var response = await client.PutAsJsonAsync($"/api/v1/events/{eventId}", EventsDriver.ValidEvent());

        await response.AssertProblemAsync(HttpStatusCode.Conflict, ErrorCodes.EventCancelled);
    }

    [Fact]
    public async Task Cancelling_twice_is_204_and_tells_the_attendees_once()
    {
        var (_, client, eventId) = await api.CreateOrganizedEventAsync(EventsDriver.ValidEvent());
        await client.DeleteAsync($"/api/v1/events/{eventId}");

        var response = await client.DeleteAsync($"/api/v1/events/{eventId}");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        await using var db = TestDatabases.CreateContext(api.DatabaseConnectionString);
        Assert.Equal(1, await db.OutboxMessages.CountAsync(m => m.Key == eventId.ToString() && m.Type == "EventCancelled"));
    }

    [Fact]
    public async Task A_cancelled_event_refuses_attendance()
    {
        var (_, client, eventId) = await api.CreateOrganizedEventAsync(EventsDriver.ValidEvent());
        await client.DeleteAsync($"/api/v1/events/{eventId}");
        var guest = api.CreateClientFor(await api.CreateUserAsync());

        var response = await guest.AttendAsync(eventId, "going");

        await response.AssertProblemAsync(HttpStatusCode.Conflict, ErrorCodes.EventCancelled);
    }

    private async Task<JsonElement> SingleOutboxPayloadAsync(Guid eventId, string type, string topic = Topics.EventChanges)
    {
        await using var db = TestDatabases.CreateContext(api.DatabaseConnectionString);
        var message = await db.OutboxMessages.SingleAsync(m => m.Key == eventId.ToString() && m.Type == type);
        Assert.Equal(topic, message.Topic);
        return JsonDocument.Parse(message.Payload).RootElement;
    }
}
