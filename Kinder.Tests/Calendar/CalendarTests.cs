using System.Net;
using System.Text;
using Kinder.Core;
using Kinder.Tests.Events;
using Kinder.Tests.Infrastructure;

namespace Kinder.Tests.Calendar;

/// <summary>An event's .ics and each user's secret feed of the events they are going to.</summary>
public sealed class CalendarTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task An_event_calendar_is_a_vcalendar_with_one_vevent_in_utc_with_crlf_lines()
    {
        var body = EventsDriver.ValidEvent();
        body["title"] = "Hike; bring water, snacks";
        body["description"] = "Meet at the gate.\nBring boots \\ poles.";
        var (_, organizer, eventId) = await api.CreateOrganizedEventAsync(body);

        var response = await organizer.GetAsync($"/api/v1/events/{eventId}/calendar.ics");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/calendar", response.Content.Headers.ContentType?.MediaType);
        var ics = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("\n", ics.Replace("\r\n", ""));
        var lines = ics.Replace("\r\n ", "").Split("\r\n");
        Assert.Equal("BEGIN:VCALENDAR", lines[0]);
        Assert.Equal(["BEGIN:VCALENDAR", "VERSION:2.0"], lines[..2]);
        Assert.Equal("END:VCALENDAR", lines[^2]);
        Assert.Equal("", lines[^1]);
        Assert.Single(lines, "BEGIN:VEVENT");
        Assert.Contains($"UID:{eventId}@kinder", lines);
        Assert.Contains(@"SUMMARY:Hike\; bring water\, snacks", lines);
        Assert.Contains(@"DESCRIPTION:Meet at the gate.\nBring boots \\ poles.", lines);
        Assert.Contains(@"LOCATION:Teufelsberg\, Berlin", lines);
        Assert.Contains("GEO:52.52;13.405", lines);
        Assert.Contains($"URL:http://127.0.0.1:5080/events/{eventId}", lines);
        Assert.Contains("STATUS:CONFIRMED", lines);
        Assert.Single(lines, line => line.StartsWith("DTSTAMP:", StringComparison.Ordinal) && line.EndsWith('Z'));
        var start = DateTimeOffset.Parse((string)body["startsAt"]!).UtcDateTime;
        Assert.Contains($"DTSTART:{start:yyyyMMdd'T'HHmmss'Z'}", lines);
        Assert.Single(lines, line => line.StartsWith("DTEND:", StringComparison.Ordinal) && line.EndsWith('Z'));
    }

    [Fact]
    public async Task A_cancelled_event_calendar_says_status_cancelled()
    {
        var (_, organizer, eventId) = await api.CreateOrganizedEventAsync(EventsDriver.ValidEvent());
        Assert.Equal(HttpStatusCode.NoContent, (await organizer.DeleteAsync($"/api/v1/events/{eventId}")).StatusCode);

        var ics = await organizer.GetStringAsync($"/api/v1/events/{eventId}/calendar.ics");

        Assert.Contains("\r\nSTATUS:CANCELLED\r\n", ics);
    }

    [Fact]
    public async Task A_private_event_calendar_is_not_found_to_outsiders()
    {
        var (_, _, eventId) = await api.CreateOrganizedEventAsync(EventsDriver.ValidEvent(visibility: "private"));
        var outsider = api.CreateClientFor(await api.CreateUserAsync());

        var response = await outsider.GetAsync($"/api/v1/events/{eventId}/calendar.ics");

        await response.AssertProblemAsync(HttpStatusCode.NotFound, ErrorCodes.NotFound);
    }

    [Fact]
    public async Task The_feed_lists_exactly_the_events_the_user_is_going_to_without_a_bearer_token()
    {
        var (_, _, going) = await api.CreateOrganizedEventAsync(EventsDriver.ValidEvent());
        var (_, _, interested) = await api.CreateOrganizedEventAsync(EventsDriver.ValidEvent());
        var (_, _, notGoing) = await api.CreateOrganizedEventAsync(EventsDriver.ValidEvent());
        var (_, _, someoneElses) = await api.CreateOrganizedEventAsync(EventsDriver.ValidEvent());
        var user = await api.CreateUserAsync();
        var client = api.CreateClientFor(user);
        var organized = (await client.CreateEventAsync(EventsDriver.ValidEvent())).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await client.AttendAsync(going, "going")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.AttendAsync(interested, "interested")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.AttendAsync(notGoing, "going")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.AttendAsync(notGoing, "not_going")).StatusCode);
        var url = (await (await client.GetAsync("/api/v1/users/me/calendar")).ReadJsonAsync()).GetProperty("url").GetString()!;

        var anonymous = api.CreateClient();
        var response = await anonymous.GetAsync(new Uri(url).PathAndQuery);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/calendar", response.Content.Headers.ContentType?.MediaType);
        var lines = (await response.Content.ReadAsStringAsync()).Replace("\r\n ", "").Split("\r\n");
        var uids = lines.Where(line => line.StartsWith("UID:", StringComparison.Ordinal)).ToHashSet();
        Assert.Equal(new HashSet<string> { $"UID:{going}@kinder", $"UID:{organized}@kinder" }, uids);
        Assert.DoesNotContain($"UID:{someoneElses}@kinder", uids);
    }

    [Fact]
    public async Task The_feed_url_is_stable_until_rotated_and_the_old_one_then_is_not_found()
    {
        var client = api.CreateClientFor(await api.CreateUserAsync());
        var first = await FeedUrlAsync(client, HttpMethod.Get, "/api/v1/users/me/calendar");
        Assert.Equal(first, await FeedUrlAsync(client, HttpMethod.Get, "/api/v1/users/me/calendar"));

        var rotated = await FeedUrlAsync(client, HttpMethod.Post, "/api/v1/users/me/calendar/rotate");

        Assert.NotEqual(first, rotated);
        var anonymous = api.CreateClient();
        await (await anonymous.GetAsync(new Uri(first).PathAndQuery)).AssertProblemAsync(HttpStatusCode.NotFound, ErrorCodes.NotFound);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(new Uri(rotated).PathAndQuery)).StatusCode);
    }

    [Fact]
    public async Task An_unknown_feed_token_is_not_found()
    {
        var response = await api.CreateClient().GetAsync("/api/v1/calendar/not-a-real-token.ics");

        await response.AssertProblemAsync(HttpStatusCode.NotFound, ErrorCodes.NotFound);
    }

    [Fact]
    public async Task The_feed_url_is_not_stored_in_the_database()
    {
        var user = await api.CreateUserAsync();
        var url = await FeedUrlAsync(api.CreateClientFor(user), HttpMethod.Get, "/api/v1/users/me/calendar");
        var token = url[(url.LastIndexOf('/') + 1)..^".ics".Length];

        await using var db = TestDatabases.CreateContext(api.DatabaseConnectionString);
        var feed = Assert.Single(db.CalendarFeeds.Where(f => f.UserId == user.Id));
        Assert.NotEqual(Encoding.UTF8.GetBytes(token), feed.TokenHash);
        Assert.Equal(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(token)), feed.TokenHash);
    }

    private static async Task<string> FeedUrlAsync(HttpClient client, HttpMethod method, string path)
    {
        var response = await client.SendAsync(new HttpRequestMessage(method, path));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var url = (await response.ReadJsonAsync()).GetProperty("url").GetString()!;
        Assert.EndsWith(".ics", url);
        return url;
    }
}
