using System.Net;
using System.Net.Http.Json;
using Kinder.Core;
using Kinder.Core.Chat;
using Kinder.Tests.Events;
using Kinder.Tests.Infrastructure;

namespace Kinder.Tests.Chat;

/// <summary>A block hides the two people from each other, whichever of them blocked.</summary>
public sealed class BlockVisibilityTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Profiles_are_404_both_ways_after_a_block()
    {
        var (alice, aliceClient) = await api.CreateChatUserAsync("Alice");
        var (bob, bobClient) = await api.CreateChatUserAsync("Bob");
        (await aliceClient.GetAsync($"/api/v1/users/{bob.Id}")).EnsureSuccessStatusCode();

        (await aliceClient.PostAsync($"/api/v1/users/{bob.Id}/block", null)).EnsureSuccessStatusCode();

        await (await aliceClient.GetAsync($"/api/v1/users/{bob.Id}")).AssertProblemAsync(HttpStatusCode.NotFound, ErrorCodes.NotFound);
        await (await bobClient.GetAsync($"/api/v1/users/{alice.Id}")).AssertProblemAsync(HttpStatusCode.NotFound, ErrorCodes.NotFound);
        (await aliceClient.GetAsync($"/api/v1/users/{alice.Id}")).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task The_blocked_person_neither_sees_nor_answers_the_blockers_events_and_the_blocker_neither_theirs()
    {
        var (alice, aliceClient) = await api.CreateChatUserAsync("Alice");
        var (bob, bobClient) = await api.CreateChatUserAsync("Bob");
        var alicesEvent = (await aliceClient.CreateEventAsync(EventsDriver.ValidEvent())).GetProperty("id").GetGuid();
        var bobsEvent = (await bobClient.CreateEventAsync(EventsDriver.ValidEvent())).GetProperty("id").GetGuid();
        (await bobClient.GetAsync($"/api/v1/events/{alicesEvent}")).EnsureSuccessStatusCode();

        (await aliceClient.PostAsync($"/api/v1/users/{bob.Id}/block", null)).EnsureSuccessStatusCode();

        foreach (var (client, eventId) in new[] { (bobClient, alicesEvent), (aliceClient, bobsEvent) })
        {
            await (await client.GetAsync($"/api/v1/events/{eventId}")).AssertProblemAsync(HttpStatusCode.NotFound, ErrorCodes.NotFound);
            await (await client.AttendAsync(eventId, "going")).AssertProblemAsync(HttpStatusCode.NotFound, ErrorCodes.NotFound);
            await (await client.AttendAsync(eventId, "interested")).AssertProblemAsync(HttpStatusCode.NotFound, ErrorCodes.NotFound);
            await (await client.GetAsync($"/api/v1/events/{eventId}/attendees")).AssertProblemAsync(HttpStatusCode.NotFound, ErrorCodes.NotFound);
        }
        // Their own events stay theirs.
        (await aliceClient.GetAsync($"/api/v1/events/{alicesEvent}")).EnsureSuccessStatusCode();
        _ = alice;
    }

    [Fact]
    public async Task Someone_going_before_the_block_cannot_answer_again_but_can_still_leave()
    {
        var (_, aliceClient) = await api.CreateChatUserAsync("Alice");
        var (bob, bobClient) = await api.CreateChatUserAsync("Bob");
        var alicesEvent = (await aliceClient.CreateEventAsync(EventsDriver.ValidEvent())).GetProperty("id").GetGuid();
        (await bobClient.AttendAsync(alicesEvent, "going")).EnsureSuccessStatusCode();

        (await aliceClient.PostAsync($"/api/v1/users/{bob.Id}/block", null)).EnsureSuccessStatusCode();

        await (await bobClient.AttendAsync(alicesEvent, "interested")).AssertProblemAsync(HttpStatusCode.NotFound, ErrorCodes.NotFound);
        var leaving = await bobClient.AttendAsync(alicesEvent, "not_going");
        Assert.Equal(HttpStatusCode.OK, leaving.StatusCode);
        Assert.Equal("not_going", (await leaving.ReadJsonAsync()).GetProperty("status").GetString());
        await (await bobClient.AttendAsync(alicesEvent, "going")).AssertProblemAsync(HttpStatusCode.NotFound, ErrorCodes.NotFound);
    }

    [Fact]
    public async Task Attendee_lists_leave_out_the_person_blocked_either_way()
    {
        var (alice, aliceClient) = await api.CreateChatUserAsync("Alice");
        var (bob, bobClient) = await api.CreateChatUserAsync("Bob");
        var (carol, carolClient) = await api.CreateChatUserAsync("Carol");
        var carolsEvent = (await carolClient.CreateEventAsync(EventsDriver.ValidEvent())).GetProperty("id").GetGuid();
        (await aliceClient.AttendAsync(carolsEvent, "going")).EnsureSuccessStatusCode();
        (await bobClient.AttendAsync(carolsEvent, "going")).EnsureSuccessStatusCode();

        (await aliceClient.PostAsync($"/api/v1/users/{bob.Id}/block", null)).EnsureSuccessStatusCode();

        Assert.Equal(new[] { carol.Id, alice.Id }.Order(), (await AttendeeIdsAsync(aliceClient, carolsEvent)).Order());
        Assert.Equal(new[] { carol.Id, bob.Id }.Order(), (await AttendeeIdsAsync(bobClient, carolsEvent)).Order());
        Assert.Equal(new[] { carol.Id, alice.Id, bob.Id }.Order(), (await AttendeeIdsAsync(carolClient, carolsEvent)).Order());
    }

    [Fact]
    public async Task Someone_in_the_blockers_event_discussion_can_no_longer_post_in_it()
    {
        var (alice, aliceClient) = await api.CreateChatUserAsync("Alice");
        var (bob, bobClient) = await api.CreateChatUserAsync("Bob");
        var created = await aliceClient.CreateEventAsync(EventsDriver.ValidEvent());
        var discussion = created.GetProperty("conversationId").GetGuid();
        // Going puts Bob in the discussion (Workers do that from the attendance record; here directly, the same way).
        (await bobClient.AttendAsync(created.GetProperty("id").GetGuid(), "going")).EnsureSuccessStatusCode();
        await using (var db = TestDatabases.CreateContext(api.DatabaseConnectionString))
        {
            await EventDiscussion.SetMemberAsync(db, discussion, bob.Id, member: true, DateTimeOffset.UtcNow, default);
        }
        var before = await bobClient.PostAsJsonAsync($"/api/v1/conversations/{discussion}/messages",
            new { clientMessageId = "before", body = "See you there" });
        Assert.Equal(HttpStatusCode.Accepted, before.StatusCode);

        (await aliceClient.PostAsync($"/api/v1/users/{bob.Id}/block", null)).EnsureSuccessStatusCode();

        var after = await bobClient.PostAsJsonAsync($"/api/v1/conversations/{discussion}/messages",
            new { clientMessageId = "after", body = "Hello?" });
        await after.AssertProblemAsync(HttpStatusCode.Forbidden, ErrorCodes.UserBlocked);
        var organizer = await aliceClient.PostAsJsonAsync($"/api/v1/conversations/{discussion}/messages",
            new { clientMessageId = "organizer", body = "Still on" });
        Assert.Equal(HttpStatusCode.Accepted, organizer.StatusCode);
    }

    [Fact]
    public async Task An_invite_to_the_blockers_event_is_answered_like_an_unknown_event()
    {
        var (alice, aliceClient) = await api.CreateChatUserAsync("Alice");
        var (bob, bobClient) = await api.CreateChatUserAsync("Bob");
        var (carol, _) = await api.CreateChatUserAsync("Carol");
        var alicesEvent = (await aliceClient.CreateEventAsync(EventsDriver.ValidEvent())).GetProperty("id").GetGuid();
        var withCarol = await bobClient.DirectAsync(carol.Id);
        (await aliceClient.PostAsync($"/api/v1/users/{bob.Id}/block", null)).EnsureSuccessStatusCode();

        var response = await bobClient.PostAsJsonAsync($"/api/v1/conversations/{withCarol}/messages",
            new { clientMessageId = "invite", type = "event_invite", eventId = alicesEvent });

        var body = await response.AssertFieldErrorAsync("eventId");
        Assert.Equal("No such event.", body.GetProperty("errors").GetProperty("eventId")[0].GetString());
        _ = alice;
    }

    private static async Task<List<Guid>> AttendeeIdsAsync(HttpClient client, Guid eventId) =>
        (await (await client.GetAsync($"/api/v1/events/{eventId}/attendees")).ReadJsonAsync())
            .GetProperty("items").EnumerateArray().Select(item => item.GetProperty("id").GetGuid()).ToList();
}
