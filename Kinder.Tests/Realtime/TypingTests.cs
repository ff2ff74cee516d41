using Kinder.Core;
using Kinder.Core.Chat;
using Kinder.Realtime.Hubs;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace Kinder.Tests.Realtime;

/// <summary>Typing indicators: to the other members only, never across a block, and stopping by themselves.</summary>
public sealed class TypingTests(RealtimeFactory realtime) : IClassFixture<RealtimeFactory>
{
    [Fact]
    public async Task StartTyping_shows_the_typist_to_the_other_members_but_not_to_themselves()
    {
        var (typist, other) = (await realtime.CreateUserAsync(), await realtime.CreateUserAsync());
        var conversation = await realtime.CreateConversationAsync(ConversationType.Direct, [typist, other]);
        await using var typistConnection = await realtime.ConnectAsync(typist);
        await using var otherConnection = await realtime.ConnectAsync(other);
        var (typistEvents, otherEvents) = (new ServerEventLog(typistConnection), new ServerEventLog(otherConnection));

        await typistConnection.InvokeAsync("StartTyping", conversation.Id);

        var (typing, _) = await otherEvents.WaitAsync(ServerEvents.TypingStart, ServerEventLog.About(typist.Id));
        Assert.Equal(conversation.Id, typing.GetProperty("conversationId").GetGuid());
        await typistEvents.AssertNoneAsync(ServerEvents.TypingStart);
    }

    [Fact]
    public async Task StartTyping_in_a_conversation_the_caller_is_not_in_fails_with_NOT_FOUND()
    {
        var (a, b, outsider) = (await realtime.CreateUserAsync(), await realtime.CreateUserAsync(), await realtime.CreateUserAsync());
        var conversation = await realtime.CreateConversationAsync(ConversationType.Group, [a, b], title: "Friends");
        await using var connection = await realtime.ConnectAsync(outsider);

        var error = await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync("StartTyping", conversation.Id));

        Assert.Contains($"{ErrorCodes.NotFound}:", error.Message);
    }

    [Fact]
    public async Task StopTyping_in_a_conversation_the_caller_is_not_in_fails_with_NOT_FOUND()
    {
        var (a, b, outsider) = (await realtime.CreateUserAsync(), await realtime.CreateUserAsync(), await realtime.CreateUserAsync());
        var conversation = await realtime.CreateConversationAsync(ConversationType.Group, [a, b], title: "Friends");
        await using var connection = await realtime.ConnectAsync(outsider);

        var error = await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync("StopTyping", conversation.Id));

        Assert.Contains($"{ErrorCodes.NotFound}:", error.Message);
    }

    [Fact]
    public async Task Typing_is_not_shown_between_users_where_one_blocked_the_other()
    {
        var (typist, blocker, friend) = (await realtime.CreateUserAsync(), await realtime.CreateUserAsync(), await realtime.CreateUserAsync());
        var conversation = await realtime.CreateConversationAsync(ConversationType.Group, [typist, blocker, friend], title: "Group");
        await realtime.BlockAsync(blocker, typist);
        await using var typistConnection = await realtime.ConnectAsync(typist);
        await using var blockerConnection = await realtime.ConnectAsync(blocker);
        await using var friendConnection = await realtime.ConnectAsync(friend);
        var (blockerEvents, friendEvents) = (new ServerEventLog(blockerConnection), new ServerEventLog(friendConnection));

        await typistConnection.InvokeAsync("StartTyping", conversation.Id);

        await friendEvents.WaitAsync(ServerEvents.TypingStart, ServerEventLog.About(typist.Id));
        await blockerEvents.AssertNoneAsync(ServerEvents.TypingStart);
    }

    [Fact]
    public async Task StopTyping_hides_the_indicator_at_once()
    {
        var (typist, other) = (await realtime.CreateUserAsync(), await realtime.CreateUserAsync());
        var conversation = await realtime.CreateConversationAsync(ConversationType.Direct, [typist, other]);
        await using var typistConnection = await realtime.ConnectAsync(typist);
        await using var otherConnection = await realtime.ConnectAsync(other);
        var otherEvents = new ServerEventLog(otherConnection);
        await typistConnection.InvokeAsync("StartTyping", conversation.Id);
        var (_, startedAt) = await otherEvents.WaitAsync(ServerEvents.TypingStart, ServerEventLog.About(typist.Id));

        await typistConnection.InvokeAsync("StopTyping", conversation.Id);

        var (_, stoppedAt) = await otherEvents.WaitAsync(ServerEvents.TypingStop, ServerEventLog.About(typist.Id));
        Assert.True(stoppedAt - startedAt < TimeSpan.FromSeconds(3), $"stopped after {stoppedAt - startedAt}");
    }

    [Fact]
    public async Task Typing_stops_by_itself_five_seconds_after_the_last_refresh()
    {
        var (typist, other) = (await realtime.CreateUserAsync(), await realtime.CreateUserAsync());
        var conversation = await realtime.CreateConversationAsync(ConversationType.Direct, [typist, other]);
        await using var typistConnection = await realtime.ConnectAsync(typist);
        await using var otherConnection = await realtime.ConnectAsync(other);
        var otherEvents = new ServerEventLog(otherConnection);
        await typistConnection.InvokeAsync("StartTyping", conversation.Id);
        await otherEvents.WaitAsync(ServerEvents.TypingStart, ServerEventLog.About(typist.Id));
        await Task.Delay(TimeSpan.FromSeconds(3));

        var refreshedAt = DateTime.UtcNow;
        await typistConnection.InvokeAsync("StartTyping", conversation.Id);

        var (_, stoppedAt) = await otherEvents.WaitAsync(ServerEvents.TypingStop, ServerEventLog.About(typist.Id),
            TimeSpan.FromSeconds(15));
        var after = stoppedAt - refreshedAt;
        Assert.True(after >= TimeSpan.FromSeconds(4.8) && after < TimeSpan.FromSeconds(7), $"stopped {after} after the refresh");
        // The refresh did not announce the typist a second time.
        Assert.Equal(1, otherEvents.Count(ServerEvents.TypingStart));
    }

    [Fact]
    public async Task Sending_a_message_stops_the_senders_typing()
    {
        var (typist, other) = (await realtime.CreateUserAsync(), await realtime.CreateUserAsync());
        var conversation = await realtime.CreateConversationAsync(ConversationType.Direct, [typist, other]);
        await using var typistConnection = await realtime.ConnectAsync(typist);
        await using var otherConnection = await realtime.ConnectAsync(other);
        var otherEvents = new ServerEventLog(otherConnection);
        await typistConnection.InvokeAsync("StartTyping", conversation.Id);
        await otherEvents.WaitAsync(ServerEvents.TypingStart, ServerEventLog.About(typist.Id));

        await typistConnection.InvokeAsync<SendMessageResponse>("SendMessage", conversation.Id, "c-1", "Done typing");

        await otherEvents.WaitAsync(ServerEvents.TypingStop, ServerEventLog.About(typist.Id), TimeSpan.FromSeconds(2));
    }
}
