using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kinder.Core;
using Kinder.Core.Events;
using Kinder.Messaging;
using Kinder.Tests.Chat;
using Kinder.Tests.Events;
using Kinder.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Tests.Friends;

/// <summary><c>POST /events/{id}/invites</c>: friends and fellow members only; a private event opens to the invitee alone.</summary>
public sealed class EventInviteApiTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task An_invite_to_a_private_event_lets_the_invitee_see_it_and_no_one_else()
    {
        var (organizer, organizerClient) = await api.CreateChatUserAsync("Olga");
        var (friend, friendClient) = await api.CreateChatUserAsync("Fred");
        var (_, outsiderClient) = await api.CreateChatUserAsync("Otto");
        await organizerClient.BefriendAsync(friendClient, friend.Id);
        var eventId = (await organizerClient.CreateEventAsync(EventsDriver.ValidEvent(visibility: "private")))
            .GetProperty("id").GetGuid();
        var before = await friendClient.GetAsync($"/api/v1/events/{eventId}");

        var response = await organizerClient.InviteAsync(eventId, friend.Id);

        Assert.Equal(HttpStatusCode.NotFound, before.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var seen = await friendClient.GetAsync($"/api/v1/events/{eventId}");
        Assert.Equal(HttpStatusCode.OK, seen.StatusCode);
        var invite = (await seen.ReadJsonAsync()).GetProperty("myInvite");
        Assert.Equal(organizer.Id, invite.GetProperty("invitedBy").GetProperty("id").GetGuid());
        Assert.Equal(HttpStatusCode.NotFound, (await outsiderClient.GetAsync($"/api/v1/events/{eventId}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await friendClient.AttendAsync(eventId, "going")).StatusCode);
    }

    [Fact]
    public async Task The_invitee_finds_the_private_event_in_search()
    {
        var (_, organizerClient) = await api.CreateChatUserAsync("Olga");
        var (friend, friendClient) = await api.CreateChatUserAsync("Fred");
        await organizerClient.BefriendAsync(friendClient, friend.Id);
        var body = EventsDriver.ValidEvent(visibility: "private");
        var title = "Invitesearch " + Guid.NewGuid().ToString("N")[..8];
        body["title"] = title;
        var eventId = (await organizerClient.CreateEventAsync(body)).GetProperty("id").GetGuid();

        await organizerClient.InviteAsync(eventId, friend.Id);

        var page = await friendClient.GetFromJsonAsync<JsonElement>($"/api/v1/events/search?q={Uri.EscapeDataString(title)}");
        Assert.Contains(eventId, page.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetGuid()));
    }

    [Fact]
    public async Task Fellow_conversation_members_may_be_invited_but_strangers_may_not()
    {
        var (_, organizerClient) = await api.CreateChatUserAsync("Olga");
        var (member, _) = await api.CreateChatUserAsync("Mia");
        var (stranger, _) = await api.CreateChatUserAsync("Sam");
        await organizerClient.GroupAsync("Hikers", member.Id);
        var eventId = (await organizerClient.CreateEventAsync(EventsDriver.ValidEvent())).GetProperty("id").GetGuid();

        var toMember = await organizerClient.InviteAsync(eventId, member.Id);
        var toStranger = await organizerClient.InviteAsync(eventId, stranger.Id);

        Assert.Equal(HttpStatusCode.Accepted, toMember.StatusCode);
        await toStranger.AssertFieldErrorAsync("userIds");
    }

    [Fact]
    public async Task Each_new_invitee_is_written_to_the_outbox_once()
    {
        var (organizer, organizerClient) = await api.CreateChatUserAsync("Olga");
        var (friend, friendClient) = await api.CreateChatUserAsync("Fred");
        await organizerClient.BefriendAsync(friendClient, friend.Id);
        var eventId = (await organizerClient.CreateEventAsync(EventsDriver.ValidEvent())).GetProperty("id").GetGuid();

        await organizerClient.InviteAsync(eventId, friend.Id);
        var again = await organizerClient.InviteAsync(eventId, friend.Id);

        Assert.Empty((await again.ReadJsonAsync()).GetProperty("invited").EnumerateArray());
        await using var db = TestDatabases.CreateContext(api.DatabaseConnectionString);
        var message = await db.OutboxMessages.SingleAsync(m => m.Key == eventId.ToString()
            && m.Type == EventInvitedIntegrationEvent.RecordType);
        Assert.Equal(Topics.Social, message.Topic);
        var payload = JsonDocument.Parse(message.Payload).RootElement;
        Assert.Equal(organizer.Id, payload.GetProperty("inviterId").GetGuid());
        Assert.Equal([friend.Id], payload.GetProperty("inviteeIds").EnumerateArray().Select(i => i.GetGuid()));
    }

    [Fact]
    public async Task A_guest_who_only_was_invited_cannot_pass_a_private_event_on()
    {
        var (_, organizerClient) = await api.CreateChatUserAsync("Olga");
        var (friend, friendClient) = await api.CreateChatUserAsync("Fred");
        var (other, otherClient) = await api.CreateChatUserAsync("Gina");
        await organizerClient.BefriendAsync(friendClient, friend.Id);
        await friendClient.BefriendAsync(otherClient, other.Id);
        var eventId = (await organizerClient.CreateEventAsync(EventsDriver.ValidEvent(visibility: "private")))
            .GetProperty("id").GetGuid();
        await organizerClient.InviteAsync(eventId, friend.Id);

        var response = await friendClient.InviteAsync(eventId, other.Id);

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
    }
}

public static class EventInviteDriver
{
    public static Task<HttpResponseMessage> InviteAsync(this HttpClient client, Guid eventId, params Guid[] userIds) =>
        client.PostAsJsonAsync($"/api/v1/events/{eventId}/invites", new { userIds });
}
