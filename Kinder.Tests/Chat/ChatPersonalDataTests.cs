using System.Net.Http.Json;
using System.Text.Json;
using Kinder.Core.Chat;
using Kinder.Core.PersonalData;
using Kinder.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kinder.Tests.Chat;

/// <summary>The chat section of a user's personal data.</summary>
public sealed class ChatPersonalDataTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task The_export_lists_memberships_sent_messages_reactions_and_blocks()
    {
        var (alice, client) = await api.CreateChatUserAsync("Alice");
        var (bob, _) = await api.CreateChatUserAsync("Bob");
        var (carol, _) = await api.CreateChatUserAsync("Carol");
        var direct = await client.DirectAsync(bob.Id);
        var message = (await api.PersistMessagesAsync(direct, alice.Id, 1))[0];
        await client.PostAsJsonAsync($"/api/v1/conversations/{direct}/messages/{message.Id}/reactions", new { emoji = "🙂" });
        (await client.PostAsync($"/api/v1/users/{carol.Id}/block", null)).EnsureSuccessStatusCode();

        var export = await ExportAsync(alice.Id);

        Assert.Equal(direct, export.GetProperty("memberships")[0].GetProperty("conversationId").GetGuid());
        Assert.Equal("message 1", export.GetProperty("messages")[0].GetProperty("body").GetString());
        Assert.Equal("🙂", export.GetProperty("reactions")[0].GetProperty("emoji").GetString());
        Assert.Equal(carol.Id, export.GetProperty("blocks")[0].GetProperty("userId").GetGuid());
    }

    [Fact]
    public async Task Erasing_blanks_the_users_messages_removes_reactions_and_blocks_and_leaves_conversations()
    {
        var (alice, client) = await api.CreateChatUserAsync("Alice");
        var (bob, bobClient) = await api.CreateChatUserAsync("Bob");
        var group = await client.GroupAsync("Friends", bob.Id);
        var message = (await api.PersistMessagesAsync(group, alice.Id, 1))[0];
        await client.PostAsJsonAsync($"/api/v1/conversations/{group}/messages/{message.Id}/reactions", new { emoji = "🙂" });
        (await client.PostAsync($"/api/v1/users/{bob.Id}/block", null)).EnsureSuccessStatusCode();

        await EraseAsync(alice.Id);
        await EraseAsync(alice.Id);

        await using var db = TestDatabases.CreateContext(api.DatabaseConnectionString);
        var stored = await db.Messages.SingleAsync(m => m.Id == message.Id);
        Assert.Null(stored.Body);
        Assert.Empty(stored.Attachments);
        Assert.NotNull(stored.DeletedAt);
        Assert.False(await db.MessageReactions.AnyAsync(r => r.UserId == alice.Id));
        Assert.False(await db.UserBlocks.AnyAsync(b => b.BlockerId == alice.Id));
        Assert.False(await db.ConversationMembers.AnyAsync(m => m.UserId == alice.Id && m.LeftAt == null));
        Assert.Equal(bob.Id, (await db.Conversations.SingleAsync(c => c.Id == group)).OwnerId);
        var history = await (await bobClient.GetAsync($"/api/v1/conversations/{group}/messages")).ReadJsonAsync();
        Assert.Equal(1, history.GetProperty("items")[0].GetProperty("seq").GetInt64());
        var export = await ExportAsync(alice.Id);
        Assert.All(export.GetProperty("messages").EnumerateArray(),
            m => Assert.Equal(JsonValueKind.Null, m.GetProperty("body").ValueKind));
    }

    private async Task<JsonElement> ExportAsync(Guid userId)
    {
        using var scope = api.Services.CreateScope();
        var source = scope.ServiceProvider.GetServices<IPersonalDataSource>().OfType<ChatPersonalDataSource>().Single();
        return JsonSerializer.SerializeToElement((await source.ExportAsync(userId, default))!, JsonSerializerOptions.Web);
    }

    private async Task EraseAsync(Guid userId)
    {
        using var scope = api.Services.CreateScope();
        var source = scope.ServiceProvider.GetServices<IPersonalDataSource>().OfType<ChatPersonalDataSource>().Single();
        await source.EraseAsync(userId, default);
    }
}
