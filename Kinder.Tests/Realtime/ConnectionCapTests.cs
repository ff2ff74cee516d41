using System.Net;
using Kinder.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace Kinder.Tests.Realtime;

/// <summary>Realtime allowing two hub connections per user.</summary>
public sealed class TwoConnectionsRealtimeFactory : RealtimeFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Realtime:MaxConnectionsPerUser", "2");
    }
}

/// <summary>A cap on hub connections per user: one more is refused cleanly, and a closed one frees its place.</summary>
public sealed class ConnectionCapTests(TwoConnectionsRealtimeFactory realtime) : IClassFixture<TwoConnectionsRealtimeFactory>
{
    [Fact]
    public async Task A_connection_past_the_cap_is_refused_with_429_until_one_closes()
    {
        var (user, other) = (await realtime.CreateUserAsync(), await realtime.CreateUserAsync());
        var token = TestTokens.For(user).Token;
        await using var phone = await realtime.ConnectAsync(user);
        var laptop = await realtime.ConnectAsync(user);

        await using var third = realtime.CreateConnection(token);
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => third.StartAsync());
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        // Someone else's connections are theirs to count.
        await using var others = await realtime.ConnectAsync(other);

        await laptop.DisposeAsync();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            await using var again = realtime.CreateConnection(token);
            try
            {
                await again.StartAsync();
                break;
            }
            catch (HttpRequestException failure) when (failure.StatusCode == HttpStatusCode.TooManyRequests && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }
}
