using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kinder.Tests.Events;
using Kinder.Tests.Infrastructure;

namespace Kinder.Tests.Chat;

/// <summary>An <c>event_invite</c> names an event the sender can see; any other is answered like an unknown id.</summary>
public sealed class EventInviteTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task An_invite_to_someone_elses_private_event_is_answered_exactly_like_an_unknown_event()
    {
        var (_, client) = await api.CreateChatUserAsync("Alice");
        var (bob, _) = await api.CreateChatUserAsync("Bob");
        var (_, organizer) = await api.CreateChatUserAsync("Olga");
        var hidden = (await organizer.CreateEventAsync(EventsDriver.ValidEvent(visibility: "private"))).GetProperty("id").GetGuid();
        var conversation = await client.DirectAsync(bob.Id);

        var unknown = await client.PostAsJsonAsync($"/api/v1/conversations/{conversation}/messages",
            new { clientMessageId = "unknown", type = "event_invite", eventId = Guid.NewGuid() });
        var invisible = await client.PostAsJsonAsync($"/api/v1/conversations/{conversation}/messages",
            new { clientMessageId = "private", type = "event_invite", eventId = hidden });

        var unknownBody = await unknown.AssertFieldErrorAsync("eventId");
        var invisibleBody = await invisible.AssertFieldErrorAsync("eventId");
        Assert.Equal(unknown.StatusCode, invisible.StatusCode);
        Assert.Equal(Comparable(unknownBody), Comparable(invisibleBody));
    }

    [Fact]
    public async Task Invites_to_a_public_event_and_to_a_private_event_of_ones_own_are_accepted()
    {
        var (_, client) = await api.CreateChatUserAsync("Alice");
        var (bob, _) = await api.CreateChatUserAsync("Bob");
        var (_, organizer) = await api.CreateChatUserAsync("Olga");
        var someoneElsesPublic = (await organizer.CreateEventAsync(EventsDriver.ValidEvent())).GetProperty("id").GetGuid();
        var ownPrivate = (await client.CreateEventAsync(EventsDriver.ValidEvent(visibility: "private"))).GetProperty("id").GetGuid();
        var conversation = await client.DirectAsync(bob.Id);

        var toPublic = await client.PostAsJsonAsync($"/api/v1/conversations/{conversation}/messages",
            new { clientMessageId = "public", type = "event_invite", eventId = someoneElsesPublic });
        var toOwn = await client.PostAsJsonAsync($"/api/v1/conversations/{conversation}/messages",
            new { clientMessageId = "own", type = "event_invite", eventId = ownPrivate });

        Assert.Equal(HttpStatusCode.Accepted, toPublic.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, toOwn.StatusCode);
    }

    /// <summary>The problem without what differs per request (its trace id).</summary>
    private static string Comparable(JsonElement problem) =>
        JsonSerializer.Serialize(problem.EnumerateObject().Where(p => p.Name != "traceId")
            .ToDictionary(p => p.Name, p => p.Value));
}
