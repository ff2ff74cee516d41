using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kinder.Core;
using Kinder.Core.Chat;
using Kinder.Messaging;
using Kinder.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Tests.Chat;

/// <summary>Reactions (idempotent, counted, signalled) and editing or deleting one's own messages in time.</summary>
public sealed class ReactionAndEditTests(RelayingApiFactory api) : IClassFixture<RelayingApiFactory>
{
    [Fact]
    public async Task Reacting_twice_with_the_same_emoji_counts_once_and_tells_the_conversation()
    {
        var (alice, client) = await api.CreateChatUserAsync("Alice");
        var (bob, bobClient) = await api.CreateChatUserAsync("Bob");
        var id = await client.DirectAsync(bob.Id);
        var message = (await api.PersistMessagesAsync(id, alice.Id, 1))[0];
        var path = $"/api/v1/conversations/{id}/messages/{message.Id}/reactions";

        await bobClient.PostAsJsonAsync(path, new { emoji = "🎉" });
        var again = await bobClient.PostAsJsonAsync(path, new { emoji = "🎉" });
        var mine = await client.PostAsJsonAsync(path, new { emoji = "🎉" });

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(1, (await again.ReadJsonAsync()).GetProperty("reactions").GetProperty("🎉").GetInt32());
        Assert.Equal(2, (await mine.ReadJsonAsync()).GetProperty("reactions").GetProperty("🎉").GetInt32());
        ChatDriver.AssertRecord(Topics.MessagesOutgoing, id, ReactionsChanged.RecordType,
            record => record.GetProperty("messageId").GetGuid() == message.Id
                && record.GetProperty("reactions").TryGetProperty("🎉", out var count) && count.GetInt32() == 2);
    }

    [Fact]
    public async Task Removing_a_reaction_is_idempotent_and_updates_the_counts()
    {
        var (alice, client) = await api.CreateChatUserAsync("Alice");
        var (bob, _) = await api.CreateChatUserAsync("Bob");
        var id = await client.DirectAsync(bob.Id);
        var message = (await api.PersistMessagesAsync(id, alice.Id, 1))[0];
        var path = $"/api/v1/conversations/{id}/messages/{message.Id}/reactions";
        await client.PostAsJsonAsync(path, new { emoji = "👍🏽" });

        var first = await client.DeleteAsync($"{path}/{Uri.EscapeDataString("👍🏽")}");
        var second = await client.DeleteAsync($"{path}/{Uri.EscapeDataString("👍🏽")}");

        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, second.StatusCode);
        var item = (await (await client.GetAsync($"/api/v1/conversations/{id}/messages")).ReadJsonAsync()).GetProperty("items")[0];
        Assert.Empty(item.GetProperty("reactions").EnumerateObject());
    }

    [Theory]
    [InlineData("")]
    [InlineData("a")]
    [InlineData("👍👍")]
    [InlineData("+1")]
    [InlineData("this is far too long to be a single emoji at all")]
    public async Task A_reaction_must_be_one_emoji(string emoji)
    {
        var (alice, client) = await api.CreateChatUserAsync("Alice");
        var (bob, _) = await api.CreateChatUserAsync("Bob");
        var id = await client.DirectAsync(bob.Id);
        var message = (await api.PersistMessagesAsync(id, alice.Id, 1))[0];

        var response = await client.PostAsJsonAsync($"/api/v1/conversations/{id}/messages/{message.Id}/reactions", new { emoji });

        await response.AssertFieldErrorAsync("emoji");
    }

    [Theory]
    [InlineData("❤️")]
    [InlineData("👨‍👩‍👧")]
    [InlineData("🇩🇪")]
    [InlineData("1️⃣")]
    public async Task Composed_emoji_are_one_reaction(string emoji)
    {
        var (alice, client) = await api.CreateChatUserAsync("Alice");
        var (bob, _) = await api.CreateChatUserAsync("Bob");
        var id = await client.DirectAsync(bob.Id);
        var message = (await api.PersistMessagesAsync(id, alice.Id, 1))[0];

        var response = await client.PostAsJsonAsync($"/api/v1/conversations/{id}/messages/{message.Id}/reactions", new { emoji });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Reacting_in_a_conversation_you_are_not_in_is_404()
    {
        var (alice, client) = await api.CreateChatUserAsync("Alice");
        var (bob, _) = await api.CreateChatUserAsync("Bob");
        var (_, stranger) = await api.CreateChatUserAsync("Stranger");
        var id = await client.DirectAsync(bob.Id);
        var message = (await api.PersistMessagesAsync(id, alice.Id, 1))[0];

        var add = await stranger.PostAsJsonAsync($"/api/v1/conversations/{id}/messages/{message.Id}/reactions", new { emoji = "👍" });
        var remove = await stranger.DeleteAsync($"/api/v1/conversations/{id}/messages/{message.Id}/reactions/x");

        await add.AssertProblemAsync(HttpStatusCode.NotFound, ErrorCodes.NotFound);
        await remove.AssertProblemAsync(HttpStatusCode.NotFound, ErrorCodes.NotFound);
    }

    [Fact]
    public async Task Reacting_to_a_message_that_does_not_exist_is_404()
    {
        var (_, client) = await api.CreateChatUserAsync("Alice");
        var (bob, _) = await api.CreateChatUserAsync("Bob");
        var id = await client.DirectAsync(bob.Id);

        var response = await client.PostAsJsonAsync($"/api/v1/conversations/{id}/messages/{Guid.NewGuid()}/reactions", new { emoji = "👍" });

        await response.AssertProblemAsync(HttpStatusCode.NotFound, ErrorCodes.NotFound);
    }

    [Fact]
    public async Task Editing_your_own_message_in_time_changes_it_and_tells_the_conversation()
    {
        var (alice, client) = await api.CreateChatUserAsync("Alice");
        var (bob, _) = await api.CreateChatUserAsync("Bob");
        var id = await client.DirectAsync(bob.Id);
        var message = (await api.PersistMessagesAsync(id, alice.Id, 1))[0];

        var response = await client.PatchAsJsonAsync($"/api/v1/conversations/{id}/messages/{message.Id}", new { body = "Fixed typo" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.Equal("Fixed typo", body.GetProperty("body").GetString());
        Assert.True(body.TryGetProperty("editedAt", out _));
        var updated = ChatDriver.AssertRecord(Topics.MessagesOutgoing, id, MessageUpdated.RecordType);
        Assert.Equal("Fixed typo", updated.GetProperty("message").GetProperty("body").GetString());
        Assert.Contains(bob.Id, updated.GetProperty("recipientIds").Guids());
    }

    [Fact]
    public async Task Editing_someone_elses_message_is_refused_with_NOT_MESSAGE_AUTHOR()
    {
        var (alice, client) = await api.CreateChatUserAsync("Alice");
        var (bob, bobClient) = await api.CreateChatUserAsync("Bob");
        var id = await client.DirectAsync(bob.Id);
        var message = (await api.PersistMessagesAsync(id, alice.Id, 1))[0];

        var edit = await bobClient.PatchAsJsonAsync($"/api/v1/conversations/{id}/messages/{message.Id}", new { body = "Mine now" });
        var delete = await bobClient.DeleteAsync($"/api/v1/conversations/{id}/messages/{message.Id}");

        await edit.AssertProblemAsync(HttpStatusCode.Forbidden, ErrorCodes.NotMessageAuthor);
        await delete.AssertProblemAsync(HttpStatusCode.Forbidden, ErrorCodes.NotMessageAuthor);
    }

    [Fact]
    public async Task Editing_or_deleting_after_the_edit_window_is_refused_with_EDIT_WINDOW_CLOSED()
    {
        var (alice, client) = await api.CreateChatUserAsync("Alice");
        var (bob, _) = await api.CreateChatUserAsync("Bob");
        var id = await client.DirectAsync(bob.Id);
        var message = (await api.PersistMessagesAsync(id, alice.Id, 1,
            DateTimeOffset.UtcNow - Message.EditWindow - TimeSpan.FromMinutes(1)))[0];

        var edit = await client.PatchAsJsonAsync($"/api/v1/conversations/{id}/messages/{message.Id}", new { body = "Too late" });
        var delete = await client.DeleteAsync($"/api/v1/conversations/{id}/messages/{message.Id}");

        await edit.AssertProblemAsync(HttpStatusCode.Forbidden, ErrorCodes.EditWindowClosed);
        await delete.AssertProblemAsync(HttpStatusCode.Forbidden, ErrorCodes.EditWindowClosed);
    }

    [Fact]
    public async Task An_edit_without_text_is_a_field_error()
    {
        var (alice, client) = await api.CreateChatUserAsync("Alice");
        var (bob, _) = await api.CreateChatUserAsync("Bob");
        var id = await client.DirectAsync(bob.Id);
        var message = (await api.PersistMessagesAsync(id, alice.Id, 1))[0];

        var response = await client.PatchAsJsonAsync($"/api/v1/conversations/{id}/messages/{message.Id}", new { body = " " });

        await response.AssertFieldErrorAsync("body");
    }

    [Fact]
    public async Task Deleting_your_message_blanks_it_keeps_its_seq_and_takes_it_off_unread_counts()
    {
        var (alice, client) = await api.CreateChatUserAsync("Alice");
        var (bob, bobClient) = await api.CreateChatUserAsync("Bob");
        var id = await client.DirectAsync(bob.Id);
        var messages = await api.PersistMessagesAsync(id, alice.Id, 2);

        var first = await client.DeleteAsync($"/api/v1/conversations/{id}/messages/{messages[1].Id}");
        var second = await client.DeleteAsync($"/api/v1/conversations/{id}/messages/{messages[1].Id}");

        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, second.StatusCode);
        var item = (await (await bobClient.GetAsync($"/api/v1/conversations/{id}/messages")).ReadJsonAsync()).GetProperty("items")[1];
        Assert.Equal(2, item.GetProperty("seq").GetInt64());
        Assert.False(item.TryGetProperty("body", out _));
        Assert.True(item.TryGetProperty("deletedAt", out _));
        var view = await (await bobClient.GetAsync($"/api/v1/conversations/{id}")).ReadJsonAsync();
        Assert.Equal(1, view.GetProperty("unreadCount").GetInt32());
        ChatDriver.AssertRecord(Topics.MessagesOutgoing, id, MessageUpdated.RecordType,
            record => record.GetProperty("message").TryGetProperty("deletedAt", out _));
    }

    [Fact]
    public async Task Editing_a_deleted_message_is_a_conflict()
    {
        var (alice, client) = await api.CreateChatUserAsync("Alice");
        var (bob, _) = await api.CreateChatUserAsync("Bob");
        var id = await client.DirectAsync(bob.Id);
        var message = (await api.PersistMessagesAsync(id, alice.Id, 1))[0];
        (await client.DeleteAsync($"/api/v1/conversations/{id}/messages/{message.Id}")).EnsureSuccessStatusCode();

        var response = await client.PatchAsJsonAsync($"/api/v1/conversations/{id}/messages/{message.Id}", new { body = "Back" });

        await response.AssertProblemAsync(HttpStatusCode.Conflict, ErrorCodes.MessageDeleted);
    }

    [Fact]
    public async Task A_reaction_signal_is_committed_with_the_reaction_and_rolled_back_with_it()
    {
        var (alice, client) = await api.CreateChatUserAsync("Alice");
        var (bob, bobClient) = await api.CreateChatUserAsync("Bob");
        var id = await client.DirectAsync(bob.Id);
        var messages = await api.PersistMessagesAsync(id, alice.Id, 2);
        var (kept, refused) = (messages[0], messages[1]);
        await using var db = TestDatabases.CreateContext(api.DatabaseConnectionString);
        // A deferred trigger refuses, at commit, any reaction to the second message: its transaction fails after the
        // reaction and its signal were both written, and rolls back.
        // Names and ids below are made here (no input), so the SQL is composed as text: DDL takes no parameters.
        var refuse = $"refuse_{Guid.NewGuid():N}";
        var create = $"""
            CREATE FUNCTION {refuse}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.message_id = '{refused.Id}' THEN RAISE EXCEPTION 'refused by the test'; END IF;
                RETURN NULL;
            END $$;
            CREATE CONSTRAINT TRIGGER {refuse} AFTER INSERT ON message_reactions
                DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION {refuse}();
            """;
        var drop = $"DROP TRIGGER {refuse} ON message_reactions; DROP FUNCTION {refuse}();";
        await db.Database.ExecuteSqlRawAsync(create);
        HttpResponseMessage committed, rolledBack;
        try
        {
            committed = await bobClient.PostAsJsonAsync($"/api/v1/conversations/{id}/messages/{kept.Id}/reactions", new { emoji = "🎉" });
            rolledBack = await bobClient.PostAsJsonAsync($"/api/v1/conversations/{id}/messages/{refused.Id}/reactions", new { emoji = "🎉" });
        }
        finally
        {
            await db.Database.ExecuteSqlRawAsync(drop);
        }

        Assert.Equal(HttpStatusCode.OK, committed.StatusCode);
        await rolledBack.AssertProblemAsync(HttpStatusCode.InternalServerError, ErrorCodes.InternalError);
        var signalled = (await db.OutboxMessages.AsNoTracking()
                .Where(m => m.Topic == Topics.MessagesOutgoing && m.Key == id.ToString() && m.Type == ReactionsChanged.RecordType)
                .Select(m => m.Payload)
                .ToListAsync())
            .Select(payload => JsonDocument.Parse(payload).RootElement.GetProperty("messageId").GetGuid())
            .ToList();
        Assert.Equal([kept.Id], signalled);
        Assert.True(await db.MessageReactions.AnyAsync(r => r.MessageId == kept.Id));
        Assert.False(await db.MessageReactions.AnyAsync(r => r.MessageId == refused.Id));
    }
}
