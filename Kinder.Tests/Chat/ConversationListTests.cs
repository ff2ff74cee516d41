using System.Net.Http.Json;
using System.Text.Json;
using Kinder.Tests.Events;
using Kinder.Tests.Infrastructure;

namespace Kinder.Tests.Chat;

/// <summary><c>GET /conversations</c>: most recent activity first, paged so each conversation comes once.</summary>
public sealed class ConversationListTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task The_list_puts_the_most_recently_active_first_with_last_message_and_unread_count()
    {
        var (alice, aliceClient) = await api.CreateChatUserAsync("Alice");
        var (bob, _) = await api.CreateChatUserAsync("Bob");
        var (carol, _) = await api.CreateChatUserAsync("Carol");
        var withBob = await aliceClient.DirectAsync(bob.Id);
        var withCarol = await aliceClient.DirectAsync(carol.Id);
        await api.PersistMessagesAsync(withBob, bob.Id, 2, DateTimeOffset.UtcNow.AddSeconds(1));

        var items = (await (await aliceClient.GetAsync("/api/v1/conversations")).ReadJsonAsync())
            .GetProperty("items").EnumerateArray().ToList();

        Assert.Equal([withBob, withCarol], items.Select(i => i.GetProperty("id").GetGuid()));
        Assert.Equal(2, items[0].GetProperty("unreadCount").GetInt32());
        Assert.Equal("message 2", items[0].GetProperty("lastMessage").GetProperty("body").GetString());
        Assert.Equal(bob.Id, items[0].GetProperty("lastMessage").GetProperty("senderId").GetGuid());
        Assert.False(items[1].TryGetProperty("lastMessage", out _));
        _ = alice;
    }

    [Fact]
    public async Task Paging_returns_every_conversation_once_even_while_messages_reorder_them()
    {
        var (alice, client) = await api.CreateChatUserAsync("Alice");
        var ids = new List<Guid>();
        var start = DateTimeOffset.UtcNow.AddMinutes(-30);
        for (var i = 0; i < 7; i++)
        {
            var (other, _) = await api.CreateChatUserAsync($"Friend {i}");
            var id = await client.DirectAsync(other.Id);
            await api.PersistMessagesAsync(id, other.Id, 1, start.AddMinutes(i));
            ids.Add(id);
        }

        var seen = new List<Guid>();
        var first = await PageAsync(client, "?limit=3");
        seen.AddRange(first.Ids);
        // While the client pages: the oldest (not yet seen) and one already seen get new messages.
        await api.PersistMessagesAsync(ids[0], alice.Id, 1, DateTimeOffset.UtcNow.AddSeconds(1));
        await api.PersistMessagesAsync(ids[6], alice.Id, 1, DateTimeOffset.UtcNow.AddSeconds(1));
        var cursor = first.Next;
        while (cursor is not null)
        {
            var page = await PageAsync(client, $"?limit=3&cursor={Uri.EscapeDataString(cursor)}");
            seen.AddRange(page.Ids);
            cursor = page.Next;
        }

        Assert.Equal(ids.AsEnumerable().Reverse(), seen);
    }

    [Fact]
    public async Task A_cursor_the_list_did_not_give_out_is_a_field_error()
    {
        var (_, client) = await api.CreateChatUserAsync("Alice");

        var response = await client.GetAsync("/api/v1/conversations?cursor=not-a-cursor");

        await response.AssertFieldErrorAsync("cursor");
    }

    [Fact]
    public async Task A_limit_out_of_range_is_a_field_error()
    {
        var (_, client) = await api.CreateChatUserAsync("Alice");

        var response = await client.GetAsync("/api/v1/conversations?limit=101");

        await response.AssertFieldErrorAsync("limit");
    }

    [Fact]
    public async Task Conversations_you_left_are_not_listed()
    {
        var (_, aliceClient) = await api.CreateChatUserAsync("Alice");
        var (bob, bobClient) = await api.CreateChatUserAsync("Bob");
        var group = await aliceClient.GroupAsync("Book club", bob.Id);
        (await bobClient.DeleteAsync($"/api/v1/conversations/{group}/members/{bob.Id}")).EnsureSuccessStatusCode();

        var page = await PageAsync(bobClient, "");

        Assert.DoesNotContain(group, page.Ids);
    }

    [Fact]
    public async Task A_group_is_listed_as_it_reads_alone_with_its_last_messages_reactions_in_first_reacted_order()
    {
        var (alice, aliceClient) = await api.CreateChatUserAsync("Alice");
        var (bob, bobClient) = await api.CreateChatUserAsync("Bob");
        var (carol, carolClient) = await api.CreateChatUserAsync("Carol");
        var group = await aliceClient.GroupAsync("Book club", bob.Id, carol.Id);
        var last = (await api.PersistMessagesAsync(group, bob.Id, 2))[^1];
        var reactions = $"/api/v1/conversations/{group}/messages/{last.Id}/reactions";
        (await carolClient.PostAsJsonAsync(reactions, new { emoji = "🎉" })).EnsureSuccessStatusCode();
        (await aliceClient.PostAsJsonAsync(reactions, new { emoji = "👍" })).EnsureSuccessStatusCode();
        (await bobClient.PostAsJsonAsync(reactions, new { emoji = "🎉" })).EnsureSuccessStatusCode();

        var item = (await (await aliceClient.GetAsync("/api/v1/conversations")).ReadJsonAsync())
            .GetProperty("items").EnumerateArray().Single();
        var alone = await (await aliceClient.GetAsync($"/api/v1/conversations/{group}")).ReadJsonAsync();

        Assert.Equal(alone.GetRawText(), item.GetRawText());
        Assert.Equal(3, item.GetProperty("memberCount").GetInt32());
        Assert.Equal(new[] { alice.Id, bob.Id, carol.Id }.Order(), item.GetProperty("members").EnumerateArray()
            .Select(member => member.GetProperty("id").GetGuid()).Order());
        Assert.Equal(2, item.GetProperty("unreadCount").GetInt32());
        Assert.Equal(2, item.GetProperty("lastMessage").GetProperty("seq").GetInt64());
        Assert.Equal([("🎉", 2), ("👍", 1)], item.GetProperty("lastMessage").GetProperty("reactions").EnumerateObject()
            .Select(reaction => (reaction.Name, reaction.Value.GetInt32())));
    }

    [Fact]
    public async Task A_deleted_last_message_is_listed_without_its_body()
    {
        var (_, aliceClient) = await api.CreateChatUserAsync("Alice");
        var (bob, bobClient) = await api.CreateChatUserAsync("Bob");
        var direct = await aliceClient.DirectAsync(bob.Id);
        var last = (await api.PersistMessagesAsync(direct, bob.Id, 1))[^1];
        (await bobClient.DeleteAsync($"/api/v1/conversations/{direct}/messages/{last.Id}")).EnsureSuccessStatusCode();

        var item = (await (await aliceClient.GetAsync("/api/v1/conversations")).ReadJsonAsync())
            .GetProperty("items").EnumerateArray().Single();

        var message = item.GetProperty("lastMessage");
        Assert.Equal(last.Id, message.GetProperty("id").GetGuid());
        Assert.False(message.TryGetProperty("body", out _));
        Assert.True(message.TryGetProperty("deletedAt", out _));
    }

    [Fact]
    public async Task Event_discussions_are_listed_with_their_member_count_but_without_members()
    {
        var (_, client, eventId) = await api.CreateOrganizedEventAsync(EventsDriver.ValidEvent());
        var discussion = (await (await client.GetAsync($"/api/v1/events/{eventId}")).ReadJsonAsync())
            .GetProperty("conversationId").GetGuid();

        var item = (await (await client.GetAsync("/api/v1/conversations")).ReadJsonAsync())
            .GetProperty("items").EnumerateArray().Single();

        Assert.Equal(discussion, item.GetProperty("id").GetGuid());
        Assert.Equal(1, item.GetProperty("memberCount").GetInt32());
        Assert.False(item.TryGetProperty("members", out _));
    }

    [Fact]
    public async Task The_last_page_has_no_next_cursor()
    {
        var (_, client) = await api.CreateChatUserAsync("Alice");
        var ids = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            var (other, _) = await api.CreateChatUserAsync($"Friend {i}");
            ids.Add(await client.DirectAsync(other.Id));
        }

        var whole = await PageAsync(client, "?limit=3");
        var first = await PageAsync(client, "?limit=2");
        var rest = await PageAsync(client, $"?limit=2&cursor={Uri.EscapeDataString(first.Next!)}");

        Assert.Equal(ids.AsEnumerable().Reverse(), whole.Ids);
        Assert.Null(whole.Next);
        Assert.Equal(whole.Ids, first.Ids.Concat(rest.Ids));
        Assert.Null(rest.Next);
    }

    private static async Task<(List<Guid> Ids, string? Next)> PageAsync(HttpClient client, string query)
    {
        var body = await (await client.GetAsync($"/api/v1/conversations{query}")).ReadJsonAsync();
        var next = body.TryGetProperty("nextCursor", out var cursor) && cursor.ValueKind == JsonValueKind.String
            ? cursor.GetString()
            : null;
        return (body.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()).ToList(), next);
    }
}
