using System.Net;
using System.Net.Http.Json;
using Kinder.Core;
using Kinder.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace Kinder.Tests.Chat;

/// <summary>An Api whose per-user send limit is two messages a minute.</summary>
public sealed class TightSendLimitApiFactory : ApiFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Chat:SendRateLimit:PermitLimit", "2");
        builder.UseSetting("Chat:SendRateLimit:Window", "00:01:00");
    }
}

/// <summary>Sends are limited per user, every conversation together.</summary>
public sealed class SendRateLimitTests(TightSendLimitApiFactory api) : IClassFixture<TightSendLimitApiFactory>
{
    [Fact]
    public async Task Sending_past_the_limit_is_429_with_Retry_After()
    {
        var (_, client) = await api.CreateChatUserAsync("Chatty");
        var (bob, _) = await api.CreateChatUserAsync("Bob");
        var (carol, _) = await api.CreateChatUserAsync("Carol");
        var withBob = await client.DirectAsync(bob.Id);
        var withCarol = await client.DirectAsync(carol.Id);

        var first = await client.PostAsJsonAsync($"/api/v1/conversations/{withBob}/messages", new { clientMessageId = "1", body = "a" });
        var second = await client.PostAsJsonAsync($"/api/v1/conversations/{withCarol}/messages", new { clientMessageId = "2", body = "b" });
        var third = await client.PostAsJsonAsync($"/api/v1/conversations/{withBob}/messages", new { clientMessageId = "3", body = "c" });

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        await third.AssertProblemAsync(HttpStatusCode.TooManyRequests, ErrorCodes.RateLimited);
        Assert.NotNull(third.Headers.RetryAfter);
    }
}
