using Kinder.Core;
using Kinder.Core.Chat;
using Kinder.Core.Identity;
using Kinder.Messaging;
using Kinder.Realtime.Hubs;
using Kinder.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kinder.Tests.Realtime;

/// <summary>The hub's authentication and its client → server methods (docs/api/README.md, Realtime).</summary>
public sealed class ChatHubTests(RealtimeFactory realtime) : IClassFixture<RealtimeFactory>
{
    [Fact]
    public async Task A_valid_access_token_opens_the_hub()
    {
        var user = await realtime.CreateUserAsync();

        await using var connection = await realtime.ConnectAsync(user);

        Assert.Equal(HubConnectionState.Connected, connection.State);
    }

    [Fact]
    public async Task A_revoked_access_token_is_refused()
    {
        var token = TestTokens.For(await realtime.CreateUserAsync());
        await realtime.Services.GetRequiredService<AccessTokenBlacklist>().RevokeAsync(token.TokenId, token.ExpiresAt);
        await using var connection = realtime.CreateConnection(token.Token);

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => connection.StartAsync());

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task A_token_not_signed_by_us_is_refused()
    {
        await using var connection = realtime.CreateConnection("not-a-token");

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => connection.StartAsync());

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task SendMessage_puts_the_message_on_messages_incoming_and_answers_its_id()
    {
        var (sender, other) = (await realtime.CreateUserAsync(), await realtime.CreateUserAsync());
        var conversation = await realtime.CreateConversationAsync(ConversationType.Direct, [sender, other]);
        await using var connection = await realtime.ConnectAsync(sender);

        var response = await connection.InvokeAsync<SendMessageResponse>("SendMessage", conversation.Id, "c-1", "Hello there");

        Assert.Equal(MessageIds.For(conversation.Id, sender.Id, "c-1"), response.Id);
        Assert.Equal("c-1", response.ClientMessageId);
        Assert.Equal(conversation.Id, response.ConversationId);
        var submitted = Assert.Single(RealtimeKafka.ConsumeWithKey(Topics.MessagesIncoming, conversation.Id.ToString(), 1));
        Assert.Equal(MessageSubmitted.RecordType, submitted.Type);
        var record = submitted.Deserialize<MessageSubmitted>();
        Assert.Equal((response.Id, sender.Id, MessageType.Text, "Hello there"), (record.MessageId, record.SenderId, record.Type, record.Body));
    }

    [Fact]
    public async Task SendMessage_to_a_conversation_the_caller_is_not_in_fails_with_NOT_FOUND()
    {
        var (a, b, outsider) = (await realtime.CreateUserAsync(), await realtime.CreateUserAsync(), await realtime.CreateUserAsync());
        var conversation = await realtime.CreateConversationAsync(ConversationType.Group, [a, b], title: "Friends");
        await using var connection = await realtime.ConnectAsync(outsider);

        var error = await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync<SendMessageResponse>("SendMessage", conversation.Id, "c-1", "Hi"));

        Assert.Contains($"{ErrorCodes.NotFound}:", error.Message);
    }

    [Fact]
    public async Task SendMessage_in_a_direct_conversation_with_a_block_fails_with_USER_BLOCKED()
    {
        var (sender, blocker) = (await realtime.CreateUserAsync(), await realtime.CreateUserAsync());
        var conversation = await realtime.CreateConversationAsync(ConversationType.Direct, [sender, blocker]);
        await realtime.BlockAsync(blocker, sender);
        await using var connection = await realtime.ConnectAsync(sender);

        var error = await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync<SendMessageResponse>("SendMessage", conversation.Id, "c-1", "Hi"));

        Assert.Contains($"{ErrorCodes.UserBlocked}:", error.Message);
    }

    [Fact]
    public async Task SendMessage_to_a_read_only_conversation_fails_with_CONVERSATION_READ_ONLY()
    {
        var (a, b) = (await realtime.CreateUserAsync(), await realtime.CreateUserAsync());
        var conversation = await realtime.CreateConversationAsync(ConversationType.Group, [a, b], title: "Over",
            readOnlyAfter: DateTimeOffset.UtcNow.AddHours(-1));
        await using var connection = await realtime.ConnectAsync(a);

        var error = await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync<SendMessageResponse>("SendMessage", conversation.Id, "c-1", "Hi"));

        Assert.Contains($"{ErrorCodes.ConversationReadOnly}:", error.Message);
    }

    [Fact]
    public async Task SendMessage_without_a_body_fails_with_VALIDATION_FAILED()
    {
        var (a, b) = (await realtime.CreateUserAsync(), await realtime.CreateUserAsync());
        var conversation = await realtime.CreateConversationAsync(ConversationType.Direct, [a, b]);
        await using var connection = await realtime.ConnectAsync(a);

        var error = await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync<SendMessageResponse>("SendMessage", conversation.Id, "c-1", "  "));

        Assert.Contains($"{ErrorCodes.ValidationFailed}: body:", error.Message);
    }

    [Fact]
    public async Task SendMessage_by_a_user_whose_email_is_not_verified_fails_with_EMAIL_NOT_VERIFIED()
    {
        var (sender, other) = (await realtime.CreateUserAsync(emailVerified: false), await realtime.CreateUserAsync());
        var conversation = await realtime.CreateConversationAsync(ConversationType.Direct, [sender, other]);
        await using var connection = await realtime.ConnectAsync(sender);

        var error = await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync<SendMessageResponse>("SendMessage", conversation.Id, "c-1", "Hi"));

        Assert.Contains($"{ErrorCodes.EmailNotVerified}:", error.Message);
    }

    [Fact]
    public async Task MarkRead_moves_the_read_cursor_and_tells_the_members()
    {
        var (reader, other) = (await realtime.CreateUserAsync(), await realtime.CreateUserAsync());
        var conversation = await realtime.CreateConversationAsync(ConversationType.Direct, [reader, other], lastSeq: 5);
        await using var readerConnection = await realtime.ConnectAsync(reader);
        await using var otherConnection = await realtime.ConnectAsync(other);
        var otherEvents = new ServerEventLog(otherConnection);

        await readerConnection.InvokeAsync("MarkRead", conversation.Id, 3L);

        var (receipt, _) = await otherEvents.WaitAsync(ServerEvents.MessageRead,
            e => e.GetProperty("conversationId").GetGuid() == conversation.Id);
        Assert.Equal((reader.Id, 3L), (receipt.GetProperty("userId").GetGuid(), receipt.GetProperty("seq").GetInt64()));
        await using var db = TestDatabases.CreateContext(realtime.DatabaseConnectionString);
        var member = await db.Set<ConversationMember>().SingleAsync(m => m.ConversationId == conversation.Id && m.UserId == reader.Id);
        Assert.Equal(3, member.LastReadSeq);
    }

    [Fact]
    public async Task MarkRead_on_a_conversation_the_caller_is_not_in_fails_with_NOT_FOUND()
    {
        var (a, b, outsider) = (await realtime.CreateUserAsync(), await realtime.CreateUserAsync(), await realtime.CreateUserAsync());
        var conversation = await realtime.CreateConversationAsync(ConversationType.Direct, [a, b], lastSeq: 2);
        await using var connection = await realtime.ConnectAsync(outsider);

        var error = await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync("MarkRead", conversation.Id, 1L));

        Assert.Contains($"{ErrorCodes.NotFound}:", error.Message);
    }

    [Fact]
    public async Task MarkRead_with_a_negative_seq_fails_with_VALIDATION_FAILED()
    {
        var (a, b) = (await realtime.CreateUserAsync(), await realtime.CreateUserAsync());
        var conversation = await realtime.CreateConversationAsync(ConversationType.Direct, [a, b]);
        await using var connection = await realtime.ConnectAsync(a);

        var error = await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync("MarkRead", conversation.Id, -1L));

        Assert.Contains($"{ErrorCodes.ValidationFailed}:", error.Message);
    }
}
