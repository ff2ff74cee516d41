using Kinder.Core;
using Kinder.Core.Chat;
using Kinder.Realtime.Hubs;
using Kinder.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace Kinder.Tests.Realtime;

/// <summary>The hub holds text to the same rule as REST: nothing the database would refuse is queued.</summary>
public sealed class HubInputSafetyTests(RealtimeFactory realtime) : IClassFixture<RealtimeFactory>
{
    [Theory]
    [InlineData("a\u0000b", "body")]
    [InlineData("ok", "clientMessageId")]
    public async Task SendMessage_with_a_control_character_fails_with_VALIDATION_FAILED(string body, string field)
    {
        var (a, b) = (await realtime.CreateUserAsync(), await realtime.CreateUserAsync());
        var conversation = await realtime.CreateConversationAsync(ConversationType.Direct, [a, b]);
        await using var connection = await realtime.ConnectAsync(a);
        var clientMessageId = field == "clientMessageId" ? "c\u0007" : "c-1";

        var error = await Assert.ThrowsAsync<HubException>(() =>
            connection.InvokeAsync<SendMessageResponse>("SendMessage", conversation.Id, clientMessageId, body));

        Assert.Contains($"{ErrorCodes.ValidationFailed}: {field}:", error.Message);
    }
}
