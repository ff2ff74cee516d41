using System.Text.Json;
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

    private static async Task<(List<Guid> Ids, string? Next)> PageAsync(HttpClient client, string query)
    {
        var body = await (await client.GetAsync($"/api/v1/conversations{query}")).ReadJsonAsync();
        var next = body.TryGetProperty("nextCursor", out var cursor) && cursor.ValueKind == JsonValueKind.String
            ? cursor.GetString()
            : null;
        return (body.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()).ToList(), next);
    }
}
