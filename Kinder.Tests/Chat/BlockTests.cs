using System.Net.Http.Json;
using System.Net;
using System.Text.Json;
using Kinder.Core;
using Kinder.Core.Chat;
using Kinder.Messaging;
using Kinder.Tests.Infrastructure;

namespace Kinder.Tests.Chat;

/// <summary>Blocking and unblocking, and the list of people one blocked.</summary>
public sealed class BlockTests(RelayingApiFactory api) : IClassFixture<RelayingApiFactory>
{
    [Fact]
    public async Task Blocking_is_idempotent_and_tells_Realtime_about_the_pairs_direct_conversation()
    {
        var (alice, client) = await api.CreateChatUserAsync("Alice");
        var (bob, _) = await api.CreateChatUserAsync("Bob");
        var direct = await client.DirectAsync(bob.Id);

        var first = await client.PostAsync($"/api/v1/users/{bob.Id}/block", null);
        var second = await client.PostAsync($"/api/v1/users/{bob.Id}/block", null);

        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, second.StatusCode);
        ChatDriver.AssertRecord(Topics.MessagesOutgoing, direct, ConversationMembersChanged.RecordType,
            record => record.GetProperty("affectedUserIds").Guids().Order().SequenceEqual(new[] { alice.Id, bob.Id }.Order()));
        var blocks = await BlockedIdsAsync(client, "");
        Assert.Equal([bob.Id], blocks.Ids);
    }

    [Fact]
    public async Task A_group_cannot_be_made_with_someone_who_blocked_its_creator()
    {
        var (alice, client) = await api.CreateChatUserAsync("Alice");
        var (bob, bobClient) = await api.CreateChatUserAsync("Bob");
        var (carol, _) = await api.CreateChatUserAsync("Carol");
        (await bobClient.PostAsync($"/api/v1/users/{alice.Id}/block", null)).EnsureSuccessStatusCode();

        var response = await client.PostAsJsonAsync("/api/v1/conversations",
            new { type = "group", memberIds = new[] { bob.Id, carol.Id }, title = "Picnic" });

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, ErrorCodes.UserBlocked);
    }

    [Fact]
    public async Task An_owner_cannot_add_someone_they_blocked_to_a_group()
    {
        var (_, client) = await api.CreateChatUserAsync("Alice");
        var (bob, _) = await api.CreateChatUserAsync("Bob");
        var (carol, _) = await api.CreateChatUserAsync("Carol");
        var group = await client.GroupAsync("Picnic", bob.Id);
        (await client.PostAsync($"/api/v1/users/{carol.Id}/block", null)).EnsureSuccessStatusCode();

        var response = await client.PostAsJsonAsync($"/api/v1/conversations/{group}/members", new { userIds = new[] { carol.Id } });

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, ErrorCodes.UserBlocked);
    }

    [Fact]
    public async Task Blocking_yourself_is_a_field_error()
    {
        var (alice, client) = await api.CreateChatUserAsync("Alice");

        var response = await client.PostAsync($"/api/v1/users/{alice.Id}/block", null);

        await response.AssertFieldErrorAsync("id");
    }

    [Fact]
    public async Task Blocking_someone_who_does_not_exist_is_404()
    {
        var (_, client) = await api.CreateChatUserAsync("Alice");

        var response = await client.PostAsync($"/api/v1/users/{Guid.NewGuid()}/block", null);

        await response.AssertProblemAsync(HttpStatusCode.NotFound, ErrorCodes.NotFound);
    }

    [Fact]
    public async Task Unblocking_lets_the_pair_open_their_direct_conversation_again()
    {
        var (_, client) = await api.CreateChatUserAsync("Alice");
        var (bob, _) = await api.CreateChatUserAsync("Bob");
        (await client.PostAsync($"/api/v1/users/{bob.Id}/block", null)).EnsureSuccessStatusCode();

        var unblock = await client.DeleteAsync($"/api/v1/users/{bob.Id}/block");
        var unblockAgain = await client.DeleteAsync($"/api/v1/users/{bob.Id}/block");

        Assert.Equal(HttpStatusCode.NoContent, unblock.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, unblockAgain.StatusCode);
        await client.DirectAsync(bob.Id);
        Assert.Empty((await BlockedIdsAsync(client, "")).Ids);
    }

    [Fact]
    public async Task The_block_list_pages_newest_first_and_each_person_comes_once()
    {
        var (_, client) = await api.CreateChatUserAsync("Alice");
        var blocked = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            var (other, _) = await api.CreateChatUserAsync($"Pest {i}");
            (await client.PostAsync($"/api/v1/users/{other.Id}/block", null)).EnsureSuccessStatusCode();
            blocked.Add(other.Id);
        }

        var seen = new List<Guid>();
        var page = await BlockedIdsAsync(client, "?limit=2");
        seen.AddRange(page.Ids);
        while (page.Next is not null)
        {
            page = await BlockedIdsAsync(client, $"?limit=2&cursor={Uri.EscapeDataString(page.Next)}");
            seen.AddRange(page.Ids);
        }

        Assert.Equal(blocked.AsEnumerable().Reverse(), seen);
    }

    [Fact]
    public async Task A_malformed_block_list_cursor_is_a_field_error()
    {
        var (_, client) = await api.CreateChatUserAsync("Alice");

        var response = await client.GetAsync("/api/v1/users/me/blocks?cursor=zzz");

        await response.AssertFieldErrorAsync("cursor");
    }

    private static async Task<(List<Guid> Ids, string? Next)> BlockedIdsAsync(HttpClient client, string query)
    {
        var body = await (await client.GetAsync($"/api/v1/users/me/blocks{query}")).ReadJsonAsync();
        var next = body.TryGetProperty("nextCursor", out var cursor) && cursor.ValueKind == JsonValueKind.String
            ? cursor.GetString()
            : null;
        return (body.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()).ToList(), next);
    }
}
