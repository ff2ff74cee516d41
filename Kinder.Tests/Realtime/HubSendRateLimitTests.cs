using Kinder.Core;
using Kinder.Core.Chat;
using Kinder.Realtime.Hubs;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace Kinder.Tests.Realtime;

/// <summary>Realtime with a per-user send limit of two messages a minute.</summary>
public sealed class TightSendLimitRealtimeFactory : RealtimeFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Chat:SendRateLimit:PermitLimit", "2");
        builder.UseSetting("Chat:SendRateLimit:Window", "00:01:00");
    }
}

/// <summary>The hub's sends spend the same per-user budget as REST's (MessageSendGate).</summary>
public sealed class HubSendRateLimitTests(TightSendLimitRealtimeFactory realtime) : IClassFixture<TightSendLimitRealtimeFactory>
{
    [Fact]
    public async Task SendMessage_past_the_limit_fails_with_RATE_LIMITED()
    {
        var (sender, other) = (await realtime.CreateUserAsync(), await realtime.CreateUserAsync());
        var conversation = await realtime.CreateConversationAsync(ConversationType.Direct, [sender, other]);
        await using var connection = await realtime.ConnectAsync(sender);

        await connection.InvokeAsync<SendMessageResponse>("SendMessage", conversation.Id, "c-1", "One");
        await connection.InvokeAsync<SendMessageResponse>("SendMessage", conversation.Id, "c-2", "Two");
        var error = await Assert.ThrowsAsync<HubException>(() =>
            connection.InvokeAsync<SendMessageResponse>("SendMessage", conversation.Id, "c-3", "Three"));

        Assert.Contains($"{ErrorCodes.RateLimited}:", error.Message);
    }
}
