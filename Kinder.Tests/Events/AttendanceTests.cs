using System.Net;
using System.Net.Http.Json;
using Kinder.Core;
using Kinder.Core.Events;
using Kinder.Core.Identity;
using Kinder.Messaging;
using Kinder.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Tests.Events;

/// <summary>Events: attendance, capacity, the waitlist and the attendee lists, against real PostgreSQL.</summary>
public sealed class AttendanceTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Going_on_an_event_with_room_answers_going()
    {
        var (_, _, eventId) = await api.CreateOrganizedEventAsync(EventsDriver.ValidEvent(capacity: 5));
        var guest = api.CreateClientFor(await api.CreateUserAsync());

        var response = await guest.AttendAsync(eventId, "going");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.Equal("going", body.GetProperty("status").GetString());
        Assert.False(body.TryGetProperty("waitlistPosition", out _));
        var read = await (await guest.GetAsync($"/api/v1/events/{eventId}")).ReadJsonAsync();
        Assert.Equal(2, read.GetProperty("goingCount").GetInt32());
        Assert.Equal("going", read.GetProperty("myStatus").GetString());
    }

    [Fact]
    public async Task Attendance_changes_write_attendance_changed_events()
    {
        var (_, _, eventId) = await api.CreateOrganizedEventAsync(EventsDriver.ValidEvent());
        var guest = await api.CreateUserAsync();

        await api.CreateClientFor(guest).AttendAsync(eventId, "interested");

        await using var db = TestDatabases.CreateContext(api.DatabaseConnectionString);
        var messages = await db.OutboxMessages
            .Where(m => m.Key == eventId.ToString() && m.Type == "AttendanceChanged").ToListAsync();
        Assert.All(messages, m => Assert.Equal(Topics.Attendance, m.Topic));
        Assert.Contains(messages, m => m.Payload.Contains(guest.Id.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Going_with_an_unverified_email_is_403()
    {
        var (_, _, eventId) = await api.CreateOrganizedEventAsync(EventsDriver.ValidEvent());
        var unverified = api.CreateClientFor(await api.CreateUserAsync(user => user.EmailVerified = false));

        var response = await unverified.AttendAsync(eventId, "going");

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, ErrorCodes.EmailNotVerified);
    }

    [Fact]
    public async Task Interested_with_an_unverified_email_is_allowed()
    {
        var (_, _, eventId) = await api.CreateOrganizedEventAsync(EventsDriver.ValidEvent());
        var unverified = api.CreateClientFor(await api.CreateUserAsync(user => user.EmailVerified = false));

        var response = await unverified.AttendAsync(eventId, "interested");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Going_on_a_paid_event_is_402_payment_required()
    {
        var (_, _, eventId) = await api.CreateOrganizedEventAsync(EventsDriver.ValidEvent(priceMinor: 1000, currency: "EUR"));
        var guest = api.CreateClientFor(await api.CreateUserAsync());

        var response = await guest.AttendAsync(eventId, "going");

        await response.AssertProblemAsync(HttpStatusCode.PaymentRequired, ErrorCodes.PaymentRequired);
    }

    [Fact]
    public async Task Attending_a_private_event_one_is_not_on_is_404()
    {
        var (_, _, eventId) = await api.CreateOrganizedEventAsync(EventsDriver.ValidEvent(visibility: "private"));
        var stranger = api.CreateClientFor(await api.CreateUserAsync());

        var response = await stranger.AttendAsync(eventId, "interested");

        await response.AssertProblemAsync(HttpStatusCode.NotFound, ErrorCodes.NotFound);
    }

    [Fact]
    public async Task Fifty_concurrent_goings_on_capacity_ten_leave_ten_going_and_the_rest_waitlisted_in_order()
    {
        var (organizer, _, eventId) = await api.CreateOrganizedEventAsync(EventsDriver.ValidEvent(capacity: 10));
        var users = await CreateUsersAsync(50);
        var clients = users.Select(api.CreateClientFor).ToList();

        using var start = new ManualResetEventSlim();
        var requests = clients.Select(client => Task.Run(async () =>
        {
            start.Wait();
            return await client.AttendAsync(eventId, "going");
        })).ToList();
        start.Set();
        var responses = await Task.WhenAll(requests);

        var answers = new List<(Guid UserId, string Status, int? Position)>();
        for (var index = 0; index < responses.Length; index++)
        {
            Assert.Equal(HttpStatusCode.OK, responses[index].StatusCode);
            var body = await responses[index].ReadJsonAsync();
            answers.Add((users[index].Id, body.GetProperty("status").GetString()!,
                body.TryGetProperty("waitlistPosition", out var position) ? position.GetInt32() : null));
        }
        Assert.Equal(9, answers.Count(answer => answer.Status == "going"));
        var waitlisted = answers.Where(answer => answer.Status == "waitlisted").ToList();
        Assert.Equal(41, waitlisted.Count);
        Assert.Equal(Enumerable.Range(1, 41), waitlisted.Select(answer => answer.Position!.Value).Order());

        await using var db = TestDatabases.CreateContext(api.DatabaseConnectionString);
        var rows = await db.EventAttendances.Where(a => a.EventId == eventId).ToListAsync();
        Assert.Equal(10, rows.Count(a => a.Status == AttendanceStatus.Going));
        Assert.Contains(rows, a => a.UserId == organizer.Id && a.Status == AttendanceStatus.Going);
        Assert.Equal(10, (await db.Events.SingleAsync(e => e.Id == eventId)).GoingCount);
        // Request order is the order the requests took the event's lock in: the waitlist follows it exactly, and
        // everyone who got a place asked before everyone who did not.
        var byPosition = waitlisted.OrderBy(answer => answer.Position).Select(answer => answer.UserId).ToList();
        var bySequence = rows.Where(a => a.Status == AttendanceStatus.Waitlisted).OrderBy(a => a.Sequence)
            .Select(a => a.UserId).ToList();
        Assert.Equal(bySequence, byPosition);
        var lastGoing = rows.Where(a => a.Status == AttendanceStatus.Going).Max(a => a.Sequence);
        Assert.All(rows.Where(a => a.Status == AttendanceStatus.Waitlisted), a => Assert.True(a.Sequence > lastGoing));
    }

    [Fact]
    public async Task Not_going_from_someone_going_promotes_the_first_in_line()
    {
        var (_, _, eventId) = await api.CreateOrganizedEventAsync(EventsDriver.ValidEvent(capacity: 2));
        var going = api.CreateClientFor(await api.CreateUserAsync());
        var first = await api.CreateUserAsync();
        var second = api.CreateClientFor(await api.CreateUserAsync());
        await going.AttendAsync(eventId, "going");
        var firstAnswer = await (await api.CreateClientFor(first).AttendAsync(eventId, "going")).ReadJsonAsync();
        var secondAnswer = await (await second.AttendAsync(eventId, "going")).ReadJsonAsync();
        Assert.Equal(1, firstAnswer.GetProperty("waitlistPosition").GetInt32());
        Assert.Equal(2, secondAnswer.GetProperty("waitlistPosition").GetInt32());

        var response = await going.AttendAsync(eventId, "not_going");

        Assert.Equal("not_going", (await response.ReadJsonAsync()).GetProperty("status").GetString());
        var firstNow = await (await api.CreateClientFor(first).GetAsync($"/api/v1/events/{eventId}")).ReadJsonAsync();
        Assert.Equal("going", firstNow.GetProperty("myStatus").GetString());
        Assert.Equal(2, firstNow.GetProperty("goingCount").GetInt32());
        var secondNow = await (await second.GetAsync($"/api/v1/events/{eventId}")).ReadJsonAsync();
        Assert.Equal("waitlisted", secondNow.GetProperty("myStatus").GetString());
        Assert.Equal(1, secondNow.GetProperty("myWaitlistPosition").GetInt32());
        await using var db = TestDatabases.CreateContext(api.DatabaseConnectionString);
        var promoted = await db.OutboxMessages.SingleAsync(m => m.Key == eventId.ToString() && m.Type == "WaitlistPromoted");
        Assert.Equal(Topics.Attendance, promoted.Topic);
        Assert.Contains(first.Id.ToString(), promoted.Payload, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Leaving_the_waitlist_moves_the_people_behind_up()
    {
        var (_, _, eventId) = await api.CreateOrganizedEventAsync(EventsDriver.ValidEvent(capacity: 1));
        var first = api.CreateClientFor(await api.CreateUserAsync());
        var second = api.CreateClientFor(await api.CreateUserAsync());
        await first.AttendAsync(eventId, "going");
        await second.AttendAsync(eventId, "going");

        var response = await first.AttendAsync(eventId, "interested");

        Assert.Equal("interested", (await response.ReadJsonAsync()).GetProperty("status").GetString());
        var again = await (await second.AttendAsync(eventId, "going")).ReadJsonAsync();
        Assert.Equal("waitlisted", again.GetProperty("status").GetString());
        Assert.Equal(1, again.GetProperty("waitlistPosition").GetInt32());
    }

    [Fact]
    public async Task The_organizer_cannot_stop_going()
    {
        var (_, organizer, eventId) = await api.CreateOrganizedEventAsync(EventsDriver.ValidEvent());

        var response = await organizer.AttendAsync(eventId, "not_going");

        await response.AssertProblemAsync(HttpStatusCode.Conflict, ErrorCodes.Conflict);
    }

    [Fact]
    public async Task Asking_for_waitlisted_directly_is_a_validation_error()
    {
        var (_, _, eventId) = await api.CreateOrganizedEventAsync(EventsDriver.ValidEvent());
        var guest = api.CreateClientFor(await api.CreateUserAsync());

        var response = await guest.AttendAsync(eventId, "waitlisted");

        await response.AssertFieldErrorAsync("status");
    }

    [Fact]
    public async Task Raising_the_capacity_promotes_from_the_waitlist()
    {
        var body = EventsDriver.ValidEvent(capacity: 1);
        var (_, organizer, eventId) = await api.CreateOrganizedEventAsync(body);
        var waiting = api.CreateClientFor(await api.CreateUserAsync());
        var waitingAnswer = await (await waiting.AttendAsync(eventId, "going")).ReadJsonAsync();
        Assert.Equal("waitlisted", waitingAnswer.GetProperty("status").GetString());
        body["capacity"] = 2;

        var response = await organizer.PutAsJsonAsync($"/api/v1/events/{eventId}", body);

        Assert.Equal(2, (await response.ReadJsonAsync()).GetProperty("goingCount").GetInt32());
        var read = await (await waiting.GetAsync($"/api/v1/events/{eventId}")).ReadJsonAsync();
        Assert.Equal("going", read.GetProperty("myStatus").GetString());
    }

    [Fact]
    public async Task Paging_the_attendees_returns_each_once()
    {
        var (organizer, _, eventId) = await api.CreateOrganizedEventAsync(EventsDriver.ValidEvent());
        var users = await CreateUsersAsync(11);
        foreach (var user in users)
        {
            Assert.Equal(HttpStatusCode.OK, (await api.CreateClientFor(user).AttendAsync(eventId, "going")).StatusCode);
        }
        var reader = api.CreateClientFor(users[0]);

        var seen = new List<Guid>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var url = $"/api/v1/events/{eventId}/attendees?status=going&limit=5"
                + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}");
            var page = await (await reader.GetAsync(url)).ReadJsonAsync();
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("id").GetGuid()));
            cursor = page.TryGetProperty("nextCursor", out var next) && next.ValueKind == System.Text.Json.JsonValueKind.String
                ? next.GetString() : null;
            pages++;
        } while (cursor is not null && pages < 10);

        Assert.Equal(3, pages);
        Assert.Equal(12, seen.Count);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal([organizer.Id, .. users.Select(user => user.Id)], seen);
    }

    [Fact]
    public async Task The_waitlist_lists_people_with_their_places()
    {
        var (_, _, eventId) = await api.CreateOrganizedEventAsync(EventsDriver.ValidEvent(capacity: 1));
        var users = await CreateUsersAsync(3);
        foreach (var user in users)
        {
            await api.CreateClientFor(user).AttendAsync(eventId, "going");
        }

        var page = await (await api.CreateClientFor(users[0]).GetAsync(
            $"/api/v1/events/{eventId}/attendees?status=waitlisted&limit=2&cursor=")).ReadJsonAsync();

        var items = page.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([users[0].Id, users[1].Id], items.Select(item => item.GetProperty("id").GetGuid()));
        Assert.Equal([1, 2], items.Select(item => item.GetProperty("waitlistPosition").GetInt32()));
    }

    [Fact]
    public async Task A_made_up_cursor_is_a_validation_error()
    {
        var (_, client, eventId) = await api.CreateOrganizedEventAsync(EventsDriver.ValidEvent());

        var response = await client.GetAsync($"/api/v1/events/{eventId}/attendees?cursor=not-a-cursor");

        await response.AssertFieldErrorAsync("cursor");
    }

    private Task<List<User>> CreateUsersAsync(int count) =>
        TestUsers.CreateManyAsync(api.DatabaseConnectionString, count, (user, index) => user.DisplayName = $"Guest {index}");
}
