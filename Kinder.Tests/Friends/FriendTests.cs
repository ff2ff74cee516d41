using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kinder.Core;
using Kinder.Core.Friends;
using Kinder.Messaging;
using Kinder.Tests.Chat;
using Kinder.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Tests.Friends;

/// <summary>Friend requests, the friends list, unfriending, and what blocks do to them.</summary>
public sealed class FriendTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Two_users_become_friends_through_request_and_accept_and_each_sees_the_other()
    {
        var (alice, aliceClient) = await api.CreateChatUserAsync("Alice");
        var (bob, bobClient) = await api.CreateChatUserAsync("Bob");

        var requestId = await aliceClient.SendRequestAsync(bob.Id);
        var incoming = await bobClient.IdsAsync("/api/v1/friends/requests?direction=incoming");
        var outgoing = await aliceClient.IdsAsync("/api/v1/friends/requests?direction=outgoing");
        await bobClient.AcceptAsync(requestId);

        Assert.Equal([requestId], incoming);
        Assert.Equal([requestId], outgoing);
        Assert.Equal([bob.Id], await aliceClient.FriendIdsAsync());
        Assert.Equal([alice.Id], await bobClient.FriendIdsAsync());
        Assert.Empty(await bobClient.IdsAsync("/api/v1/friends/requests"));
    }

    [Fact]
    public async Task A_request_and_its_accept_are_written_to_the_outbox_for_notifications()
    {
        var (alice, aliceClient) = await api.CreateChatUserAsync("Alice");
        var (bob, bobClient) = await api.CreateChatUserAsync("Bob");

        await aliceClient.BefriendAsync(bobClient, bob.Id);

        await using var db = TestDatabases.CreateContext(api.DatabaseConnectionString);
        var requested = await db.OutboxMessages.SingleAsync(m => m.Key == bob.Id.ToString()
            && m.Type == FriendRequestedIntegrationEvent.RecordType);
        var accepted = await db.OutboxMessages.SingleAsync(m => m.Key == alice.Id.ToString()
            && m.Type == FriendRequestAcceptedIntegrationEvent.RecordType);
        Assert.Equal(Topics.Social, requested.Topic);
        Assert.Equal(Topics.Social, accepted.Topic);
        Assert.Equal(alice.Id, JsonDocument.Parse(requested.Payload).RootElement.GetProperty("requesterId").GetGuid());
    }

    [Fact]
    public async Task A_request_to_someone_who_already_asked_you_makes_you_friends()
    {
        var (alice, aliceClient) = await api.CreateChatUserAsync("Alice");
        var (bob, bobClient) = await api.CreateChatUserAsync("Bob");
        var requestId = await aliceClient.SendRequestAsync(bob.Id);

        var response = await bobClient.AskAsync(alice.Id);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.Equal(requestId, body.GetProperty("id").GetGuid());
        Assert.Equal("accepted", body.GetProperty("status").GetString());
        Assert.Equal([bob.Id], await aliceClient.FriendIdsAsync());
        Assert.Equal([alice.Id], await bobClient.FriendIdsAsync());
    }

    [Fact]
    public async Task A_declined_request_can_be_sent_again_only_after_the_cool_down()
    {
        var (_, aliceClient) = await api.CreateChatUserAsync("Alice");
        var (bob, bobClient) = await api.CreateChatUserAsync("Bob");
        var requestId = await aliceClient.SendRequestAsync(bob.Id);
        var declined = await bobClient.PostAsync($"/api/v1/friends/requests/{requestId}/decline", null);

        var tooSoon = await aliceClient.AskAsync(bob.Id);
        await using (var db = TestDatabases.CreateContext(api.DatabaseConnectionString))
        {
            // The default cool-down is seven days: move the decline eight days back.
            await db.FriendRequests.Where(r => r.Id == requestId).ExecuteUpdateAsync(set =>
                set.SetProperty(r => r.RespondedAt, DateTimeOffset.UtcNow.AddDays(-8)));
        }
        var later = await aliceClient.AskAsync(bob.Id);

        Assert.Equal(HttpStatusCode.NoContent, declined.StatusCode);
        await tooSoon.AssertProblemAsync(HttpStatusCode.Conflict, ErrorCodes.FriendRequestCooldown);
        Assert.Equal(HttpStatusCode.Created, later.StatusCode);
    }

    [Fact]
    public async Task Only_the_addressee_answers_and_only_the_sender_cancels()
    {
        var (_, aliceClient) = await api.CreateChatUserAsync("Alice");
        var (bob, bobClient) = await api.CreateChatUserAsync("Bob");
        var (_, eveClient) = await api.CreateChatUserAsync("Eve");
        var requestId = await aliceClient.SendRequestAsync(bob.Id);

        var byEve = await eveClient.PostAsync($"/api/v1/friends/requests/{requestId}/accept", null);
        var bySender = await aliceClient.PostAsync($"/api/v1/friends/requests/{requestId}/accept", null);
        var cancelByBob = await bobClient.DeleteAsync($"/api/v1/friends/requests/{requestId}");
        var cancel = await aliceClient.DeleteAsync($"/api/v1/friends/requests/{requestId}");
        var acceptCancelled = await bobClient.PostAsync($"/api/v1/friends/requests/{requestId}/accept", null);

        await byEve.AssertProblemAsync(HttpStatusCode.NotFound, ErrorCodes.NotFound);
        await bySender.AssertProblemAsync(HttpStatusCode.NotFound, ErrorCodes.NotFound);
        await cancelByBob.AssertProblemAsync(HttpStatusCode.NotFound, ErrorCodes.NotFound);
        Assert.Equal(HttpStatusCode.NoContent, cancel.StatusCode);
        await acceptCancelled.AssertProblemAsync(HttpStatusCode.Conflict, ErrorCodes.FriendRequestNotPending);
        Assert.Empty(await bobClient.FriendIdsAsync());
    }

    [Fact]
    public async Task Unfriending_ends_the_friendship_for_both()
    {
        var (alice, aliceClient) = await api.CreateChatUserAsync("Alice");
        var (bob, bobClient) = await api.CreateChatUserAsync("Bob");
        await aliceClient.BefriendAsync(bobClient, bob.Id);

        var response = await bobClient.DeleteAsync($"/api/v1/friends/{alice.Id}");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Empty(await aliceClient.FriendIdsAsync());
        Assert.Empty(await bobClient.FriendIdsAsync());
    }

    [Fact]
    public async Task A_block_ends_a_friendship_and_refuses_requests_either_way()
    {
        var (alice, aliceClient) = await api.CreateChatUserAsync("Alice");
        var (bob, bobClient) = await api.CreateChatUserAsync("Bob");
        await aliceClient.BefriendAsync(bobClient, bob.Id);

        var blocked = await bobClient.PostAsync($"/api/v1/users/{alice.Id}/block", null);
        var fromBlocked = await aliceClient.AskAsync(bob.Id);
        var fromBlocker = await bobClient.AskAsync(alice.Id);

        Assert.Equal(HttpStatusCode.NoContent, blocked.StatusCode);
        Assert.Empty(await aliceClient.FriendIdsAsync());
        Assert.Empty(await bobClient.FriendIdsAsync());
        await fromBlocked.AssertProblemAsync(HttpStatusCode.NotFound, ErrorCodes.NotFound);
        await fromBlocker.AssertProblemAsync(HttpStatusCode.NotFound, ErrorCodes.NotFound);
    }

    [Fact]
    public async Task A_block_withdraws_a_pending_request()
    {
        var (alice, aliceClient) = await api.CreateChatUserAsync("Alice");
        var (bob, bobClient) = await api.CreateChatUserAsync("Bob");
        await aliceClient.SendRequestAsync(bob.Id);

        await bobClient.PostAsync($"/api/v1/users/{alice.Id}/block", null);

        Assert.Empty(await bobClient.IdsAsync("/api/v1/friends/requests"));
        Assert.Empty(await aliceClient.IdsAsync("/api/v1/friends/requests?direction=outgoing"));
    }

    [Fact]
    public async Task The_friends_list_pages_with_cursors()
    {
        var (_, client) = await api.CreateChatUserAsync("Alice");
        var ids = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            var (friend, friendClient) = await api.CreateChatUserAsync($"Friend {i}");
            await client.BefriendAsync(friendClient, friend.Id);
            ids.Add(friend.Id);
        }

        var first = await client.GetFromJsonAsync<JsonElement>("/api/v1/friends?limit=2");
        var cursor = first.GetProperty("nextCursor").GetString();
        var second = await client.GetFromJsonAsync<JsonElement>($"/api/v1/friends?limit=2&cursor={cursor}");

        var listed = first.GetProperty("items").EnumerateArray().Concat(second.GetProperty("items").EnumerateArray())
            .Select(item => item.GetProperty("id").GetGuid()).ToList();
        Assert.Equal(Enumerable.Reverse(ids).ToList(), listed);
        Assert.False(second.TryGetProperty("nextCursor", out _));
    }

    [Fact]
    public async Task Befriending_yourself_is_a_validation_error()
    {
        var (alice, client) = await api.CreateChatUserAsync("Alice");

        var response = await client.AskAsync(alice.Id);

        await response.AssertFieldErrorAsync("userId");
    }

    [Fact]
    public async Task The_personal_data_export_lists_friends_and_requests()
    {
        var (_, aliceClient) = await api.CreateChatUserAsync("Alice");
        var (bob, bobClient) = await api.CreateChatUserAsync("Bob");
        await aliceClient.BefriendAsync(bobClient, bob.Id);

        var export = await aliceClient.GetFromJsonAsync<JsonElement>("/api/v1/users/me/export");

        var friends = export.GetProperty("friends");
        Assert.Equal(bob.Id, friends.GetProperty("friends")[0].GetProperty("friendId").GetGuid());
        Assert.Equal(1, friends.GetProperty("requests").GetArrayLength());
    }
}
