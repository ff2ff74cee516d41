using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kinder.Core;
using Kinder.Core.Chat;
using Kinder.Messaging;
using Kinder.Tests.Infrastructure;

namespace Kinder.Tests.Chat;

/// <summary>History by seq, sending through the chat path, and read cursors.</summary>
public sealed class MessageTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Without_a_seq_the_history_is_the_latest_page_in_seq_order_with_a_cursor_to_older_messages()
    {
        var (alice, client) = await api.CreateChatUserAsync("Alice");
        var (bob, _) = await api.CreateChatUserAsync("Bob");
        var id = await client.DirectAsync(bob.Id);
        await api.PersistMessagesAsync(id, alice.Id, 5);

        var page = await PageAsync(client, id, "?limit=2");

        Assert.Equal([4L, 5L], page.Seqs);
        Assert.NotNull(page.Next);
    }

    [Fact]
    public async Task Following_the_cursor_back_from_the_latest_page_reads_all_history_once()
    {
        var (alice, client) = await api.CreateChatUserAsync("Alice");
        var (bob, _) = await api.CreateChatUserAsync("Bob");
        var id = await client.DirectAsync(bob.Id);
        await api.PersistMessagesAsync(id, alice.Id, 7);

        var seqs = new List<long>();
        var page = await PageAsync(client, id, "?limit=3");
        seqs.InsertRange(0, page.Seqs);
        while (page.Next is not null)
        {
            page = await PageAsync(client, id, $"?limit=3&cursor={Uri.EscapeDataString(page.Next)}");
            seqs.InsertRange(0, page.Seqs);
        }

        Assert.Equal(Enumerable.Range(1, 7).Select(i => (long)i), seqs);
    }

    [Fact]
    public async Task BeforeSeq_reads_the_messages_just_before_it()
    {
        var (alice, client) = await api.CreateChatUserAsync("Alice");
        var (bob, _) = await api.CreateChatUserAsync("Bob");
        var id = await client.DirectAsync(bob.Id);
        await api.PersistMessagesAsync(id, alice.Id, 6);

        var page = await PageAsync(client, id, "?beforeSeq=4&limit=10");

        Assert.Equal([1L, 2L, 3L], page.Seqs);
        Assert.Null(page.Next);
    }

    [Fact]
    public async Task AfterSeq_catches_up_with_no_gap_including_messages_that_arrive_between_pages()
    {
        var (alice, client) = await api.CreateChatUserAsync("Alice");
        var (bob, _) = await api.CreateChatUserAsync("Bob");
        var id = await client.DirectAsync(bob.Id);
        await api.PersistMessagesAsync(id, alice.Id, 5);

        var first = await PageAsync(client, id, "?afterSeq=1&limit=2");
        await api.PersistMessagesAsync(id, alice.Id, 2);
        var seqs = new List<long>(first.Seqs);
        var page = first;
        while (page.Next is not null)
        {
            page = await PageAsync(client, id, $"?limit=2&cursor={Uri.EscapeDataString(page.Next)}");
            seqs.AddRange(page.Seqs);
        }

        Assert.Equal([2L, 3L], first.Seqs);
        Assert.Equal(Enumerable.Range(2, 6).Select(i => (long)i), seqs);
    }

    [Fact]
    public async Task History_items_are_API_messages_with_reaction_counts()
    {
        var (alice, client) = await api.CreateChatUserAsync("Alice");
        var (bob, bobClient) = await api.CreateChatUserAsync("Bob");
        var id = await client.DirectAsync(bob.Id);
        var message = (await api.PersistMessagesAsync(id, alice.Id, 1))[0];
        (await bobClient.PostAsJsonAsync($"/api/v1/conversations/{id}/messages/{message.Id}/reactions", new { emoji = "👍" }))
            .EnsureSuccessStatusCode();

        var item = (await (await client.GetAsync($"/api/v1/conversations/{id}/messages")).ReadJsonAsync())
            .GetProperty("items")[0];

        Assert.Equal(message.Id, item.GetProperty("id").GetGuid());
        Assert.Equal(id, item.GetProperty("conversationId").GetGuid());
        Assert.Equal(alice.Id, item.GetProperty("senderId").GetGuid());
        Assert.Equal("text", item.GetProperty("type").GetString());
        Assert.Equal("message 1", item.GetProperty("body").GetString());
        Assert.Equal(1, item.GetProperty("reactions").GetProperty("👍").GetInt32());
        Assert.Equal(JsonValueKind.Array, item.GetProperty("attachments").ValueKind);
    }

    [Theory]
    [InlineData("?beforeSeq=3&afterSeq=1", "afterSeq")]
    [InlineData("?limit=0", "limit")]
    [InlineData("?cursor=nonsense", "cursor")]
    public async Task Contradictory_or_malformed_history_parameters_are_field_errors(string query, string field)
    {
        var (_, client) = await api.CreateChatUserAsync("Alice");
        var (bob, _) = await api.CreateChatUserAsync("Bob");
        var id = await client.DirectAsync(bob.Id);

        var response = await client.GetAsync($"/api/v1/conversations/{id}/messages{query}");

        await response.AssertFieldErrorAsync(field);
    }

    [Fact]
    public async Task History_is_404_to_someone_who_is_not_in_the_conversation()
    {
        var (alice, client) = await api.CreateChatUserAsync("Alice");
        var (bob, _) = await api.CreateChatUserAsync("Bob");
        var (_, stranger) = await api.CreateChatUserAsync("Stranger");
        var id = await client.DirectAsync(bob.Id);
        await api.PersistMessagesAsync(id, alice.Id, 1);

        var response = await stranger.GetAsync($"/api/v1/conversations/{id}/messages");

        await response.AssertProblemAsync(HttpStatusCode.NotFound, ErrorCodes.NotFound);
    }

    [Fact]
    public async Task Sending_answers_202_with_the_message_id_and_puts_it_on_messages_incoming()
    {
        var (alice, client) = await api.CreateChatUserAsync("Alice");
        var (bob, _) = await api.CreateChatUserAsync("Bob");
        var id = await client.DirectAsync(bob.Id);

        var response = await client.PostAsJsonAsync($"/api/v1/conversations/{id}/messages",
            new { clientMessageId = "c-1", type = "text", body = "Hello Bob" });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.ReadJsonAsync();
        var messageId = body.GetProperty("id").GetGuid();
        Assert.Equal(MessageIds.For(id, alice.Id, "c-1"), messageId);
        Assert.Equal("c-1", body.GetProperty("clientMessageId").GetString());
        Assert.Equal(id, body.GetProperty("conversationId").GetGuid());
        var submitted = ChatDriver.AssertRecord(Topics.MessagesIncoming, id, MessageSubmitted.RecordType);
        Assert.Equal(messageId, submitted.GetProperty("messageId").GetGuid());
        Assert.Equal("Hello Bob", submitted.GetProperty("body").GetString());
    }

    [Fact]
    public async Task Sending_the_same_client_message_id_twice_names_the_same_message()
    {
        var (_, client) = await api.CreateChatUserAsync("Alice");
        var (bob, _) = await api.CreateChatUserAsync("Bob");
        var id = await client.DirectAsync(bob.Id);

        var first = await (await client.PostAsJsonAsync($"/api/v1/conversations/{id}/messages",
            new { clientMessageId = "retry-me", body = "Hi" })).ReadJsonAsync();
        var second = await (await client.PostAsJsonAsync($"/api/v1/conversations/{id}/messages",
            new { clientMessageId = "retry-me", body = "Hi" })).ReadJsonAsync();

        Assert.Equal(first.GetProperty("id").GetGuid(), second.GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task Sending_to_a_conversation_you_are_not_in_is_404()
    {
        var (_, client) = await api.CreateChatUserAsync("Alice");
        var (bob, _) = await api.CreateChatUserAsync("Bob");
        var (_, stranger) = await api.CreateChatUserAsync("Stranger");
        var id = await client.DirectAsync(bob.Id);

        var response = await stranger.PostAsJsonAsync($"/api/v1/conversations/{id}/messages", new { clientMessageId = "x", body = "Hi" });

        await response.AssertProblemAsync(HttpStatusCode.NotFound, ErrorCodes.NotFound);
    }

    [Fact]
    public async Task Sending_after_a_block_is_refused_with_USER_BLOCKED()
    {
        var (alice, client) = await api.CreateChatUserAsync("Alice");
        var (bob, bobClient) = await api.CreateChatUserAsync("Bob");
        var id = await client.DirectAsync(bob.Id);
        (await bobClient.PostAsync($"/api/v1/users/{alice.Id}/block", null)).EnsureSuccessStatusCode();

        var response = await client.PostAsJsonAsync($"/api/v1/conversations/{id}/messages", new { clientMessageId = "x", body = "Hi" });

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, ErrorCodes.UserBlocked);
    }

    [Fact]
    public async Task Sending_to_a_read_only_conversation_is_refused_with_CONVERSATION_READ_ONLY()
    {
        var (_, client) = await api.CreateChatUserAsync("Alice");
        var (bob, _) = await api.CreateChatUserAsync("Bob");
        var id = await client.GroupAsync("Past", bob.Id);
        await using (var db = TestDatabases.CreateContext(api.DatabaseConnectionString))
        {
            var conversation = await db.Conversations.FindAsync(id);
            conversation!.ReadOnlyAfter = DateTimeOffset.UtcNow.AddMinutes(-1);
            await db.SaveChangesAsync();
        }

        var response = await client.PostAsJsonAsync($"/api/v1/conversations/{id}/messages", new { clientMessageId = "x", body = "Hi" });

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, ErrorCodes.ConversationReadOnly);
    }

    [Fact]
    public async Task A_text_message_without_a_body_or_client_message_id_is_a_field_error()
    {
        var (_, client) = await api.CreateChatUserAsync("Alice");
        var (bob, _) = await api.CreateChatUserAsync("Bob");
        var id = await client.DirectAsync(bob.Id);

        var response = await client.PostAsJsonAsync($"/api/v1/conversations/{id}/messages", new { type = "text" });

        var body = await response.AssertFieldErrorAsync("body");
        Assert.True(body.GetProperty("errors").TryGetProperty("clientMessageId", out _));
    }

    [Fact]
    public async Task Marking_read_moves_the_cursor_and_tells_the_conversation()
    {
        var (alice, client) = await api.CreateChatUserAsync("Alice");
        var (bob, bobClient) = await api.CreateChatUserAsync("Bob");
        var id = await client.DirectAsync(bob.Id);
        await api.PersistMessagesAsync(id, alice.Id, 4);

        var response = await bobClient.PutAsJsonAsync($"/api/v1/conversations/{id}/read", new { seq = 3 });

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var view = await (await bobClient.GetAsync($"/api/v1/conversations/{id}")).ReadJsonAsync();
        Assert.Equal(1, view.GetProperty("unreadCount").GetInt32());
        var read = ChatDriver.AssertRecord(Topics.MessagesOutgoing, id, MessageRead.RecordType);
        Assert.Equal(bob.Id, read.GetProperty("userId").GetGuid());
        Assert.Equal(3, read.GetProperty("seq").GetInt64());
    }

    [Fact]
    public async Task Marking_read_without_a_seq_is_a_field_error_and_by_a_stranger_404()
    {
        var (_, client) = await api.CreateChatUserAsync("Alice");
        var (bob, _) = await api.CreateChatUserAsync("Bob");
        var (_, stranger) = await api.CreateChatUserAsync("Stranger");
        var id = await client.DirectAsync(bob.Id);

        var missing = await client.PutAsJsonAsync($"/api/v1/conversations/{id}/read", new { });
        var foreign = await stranger.PutAsJsonAsync($"/api/v1/conversations/{id}/read", new { seq = 1 });

        await missing.AssertFieldErrorAsync("seq");
        await foreign.AssertProblemAsync(HttpStatusCode.NotFound, ErrorCodes.NotFound);
    }

    private static async Task<(List<long> Seqs, string? Next)> PageAsync(HttpClient client, Guid id, string query)
    {
        var response = await client.GetAsync($"/api/v1/conversations/{id}/messages{query}");
        var body = await response.ReadJsonAsync();
        Assert.True(response.IsSuccessStatusCode, body.ToString());
        var next = body.TryGetProperty("nextCursor", out var cursor) && cursor.ValueKind == JsonValueKind.String
            ? cursor.GetString()
            : null;
        return (body.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("seq").GetInt64()).ToList(), next);
    }
}
