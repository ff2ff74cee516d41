using System.Net;
using System.Net.Http.Json;
using Kinder.Core;
using Kinder.Core.Chat;
using Kinder.Messaging;
using Kinder.Tests.Infrastructure;

namespace Kinder.Tests.Chat;

/// <summary>A group's owner adds and removes members; members leave; every change is told and written down.</summary>
public sealed class GroupMemberTests(RelayingApiFactory api) : IClassFixture<RelayingApiFactory>
{
    [Fact]
    public async Task The_owner_adds_members_who_start_with_nothing_unread_and_the_group_is_told()
    {
        var (alice, aliceClient) = await api.CreateChatUserAsync("Alice");
        var (bob, _) = await api.CreateChatUserAsync("Bob");
        var (carol, carolClient) = await api.CreateChatUserAsync("Carol");
        var group = await aliceClient.GroupAsync("Runners", bob.Id);
        await api.PersistMessagesAsync(group, alice.Id, 3);

        var response = await aliceClient.PostAsJsonAsync($"/api/v1/conversations/{group}/members", new { userIds = new[] { carol.Id } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.Contains(carol.Id, body.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("id").GetGuid()));
        var carolsView = await (await carolClient.GetAsync($"/api/v1/conversations/{group}")).ReadJsonAsync();
        Assert.Equal(0, carolsView.GetProperty("unreadCount").GetInt32());
        Assert.Equal(3, carolsView.GetProperty("lastReadSeq").GetInt64());
        ChatDriver.AssertRecord(Topics.MessagesOutgoing, group, ConversationMembersChanged.RecordType,
            record => record.GetProperty("affectedUserIds").Guids().Contains(carol.Id));
        var system = ChatDriver.AssertRecord(Topics.MessagesIncoming, group, MessageSubmitted.RecordType,
            record => record.GetProperty("senderId").ValueKind == System.Text.Json.JsonValueKind.Null);
        Assert.Equal("Alice added Carol.", system.GetProperty("body").GetString());
    }

    [Fact]
    public async Task A_member_who_is_not_the_owner_cannot_add_people()
    {
        var (_, aliceClient) = await api.CreateChatUserAsync("Alice");
        var (bob, bobClient) = await api.CreateChatUserAsync("Bob");
        var (carol, _) = await api.CreateChatUserAsync("Carol");
        var group = await aliceClient.GroupAsync("Runners", bob.Id);

        var response = await bobClient.PostAsJsonAsync($"/api/v1/conversations/{group}/members", new { userIds = new[] { carol.Id } });

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, ErrorCodes.NotConversationOwner);
    }

    [Fact]
    public async Task Adding_unknown_users_is_a_field_error()
    {
        var (_, aliceClient) = await api.CreateChatUserAsync("Alice");
        var (bob, _) = await api.CreateChatUserAsync("Bob");
        var group = await aliceClient.GroupAsync("Runners", bob.Id);

        var response = await aliceClient.PostAsJsonAsync($"/api/v1/conversations/{group}/members", new { userIds = new[] { Guid.NewGuid() } });

        await response.AssertFieldErrorAsync("userIds");
    }

    [Fact]
    public async Task Members_cannot_be_added_to_a_direct_conversation()
    {
        var (_, aliceClient) = await api.CreateChatUserAsync("Alice");
        var (bob, _) = await api.CreateChatUserAsync("Bob");
        var (carol, _) = await api.CreateChatUserAsync("Carol");
        var direct = await aliceClient.DirectAsync(bob.Id);

        var response = await aliceClient.PostAsJsonAsync($"/api/v1/conversations/{direct}/members", new { userIds = new[] { carol.Id } });

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
    }

    [Fact]
    public async Task The_owner_removes_a_member_who_then_gets_404_for_the_group()
    {
        var (_, aliceClient) = await api.CreateChatUserAsync("Alice");
        var (bob, bobClient) = await api.CreateChatUserAsync("Bob");
        var group = await aliceClient.GroupAsync("Runners", bob.Id);

        var response = await aliceClient.DeleteAsync($"/api/v1/conversations/{group}/members/{bob.Id}");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        await (await bobClient.GetAsync($"/api/v1/conversations/{group}")).AssertProblemAsync(HttpStatusCode.NotFound, ErrorCodes.NotFound);
        var system = ChatDriver.AssertRecord(Topics.MessagesIncoming, group, MessageSubmitted.RecordType,
            record => record.GetProperty("body").GetString() == "Alice removed Bob.");
        Assert.Equal(MessageIds.For(group, null, system.GetProperty("clientMessageId").GetString()!),
            system.GetProperty("messageId").GetGuid());
    }

    [Fact]
    public async Task A_member_cannot_remove_someone_else()
    {
        var (alice, aliceClient) = await api.CreateChatUserAsync("Alice");
        var (bob, bobClient) = await api.CreateChatUserAsync("Bob");
        var group = await aliceClient.GroupAsync("Runners", bob.Id);

        var response = await bobClient.DeleteAsync($"/api/v1/conversations/{group}/members/{alice.Id}");

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, ErrorCodes.NotConversationOwner);
    }

    [Fact]
    public async Task An_owner_who_leaves_passes_the_group_to_the_longest_standing_member()
    {
        var (alice, aliceClient) = await api.CreateChatUserAsync("Alice");
        var (bob, bobClient) = await api.CreateChatUserAsync("Bob");
        var (carol, _) = await api.CreateChatUserAsync("Carol");
        var group = await aliceClient.GroupAsync("Runners", bob.Id);
        (await aliceClient.PostAsJsonAsync($"/api/v1/conversations/{group}/members", new { userIds = new[] { carol.Id } }))
            .EnsureSuccessStatusCode();

        var response = await aliceClient.DeleteAsync($"/api/v1/conversations/{group}/members/{alice.Id}");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var body = await (await bobClient.GetAsync($"/api/v1/conversations/{group}")).ReadJsonAsync();
        Assert.Equal(bob.Id, body.GetProperty("ownerId").GetGuid());
        Assert.DoesNotContain(alice.Id, body.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("id").GetGuid()));
    }

    [Fact]
    public async Task Removing_someone_who_is_not_a_member_is_404()
    {
        var (_, aliceClient) = await api.CreateChatUserAsync("Alice");
        var (bob, _) = await api.CreateChatUserAsync("Bob");
        var group = await aliceClient.GroupAsync("Runners", bob.Id);

        var response = await aliceClient.DeleteAsync($"/api/v1/conversations/{group}/members/{Guid.NewGuid()}");

        await response.AssertProblemAsync(HttpStatusCode.NotFound, ErrorCodes.NotFound);
    }
}
