using System.Net;
using Kinder.Tests.EndToEnd;
using Microsoft.AspNetCore.SignalR.Client;

namespace Kinder.Tests.Identity;

/// <summary>Accounts across the real processes: a session from the Api opens the Realtime hub until it is logged out.</summary>
public sealed class AccountsEndToEndTests(KinderStack stack) : IClassFixture<KinderStack>
{
    [Fact]
    public async Task A_logged_out_access_token_no_longer_opens_the_hub()
    {
        using var client = new HttpClient { BaseAddress = stack.ApiUrl };
        var email = Accounts.NewEmail();
        await client.RegisterAsync(email);
        var session = await client.LoginAsync(email);

        await using (var connection = HubConnection(session.AccessToken))
        {
            await connection.StartAsync();
            Assert.Equal(HubConnectionState.Connected, connection.State);
        }

        var logout = await client.SendAsync(HttpMethod.Post, "/api/v1/auth/logout", session.AccessToken,
            new { refreshToken = session.RefreshToken });
        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);

        await using var refused = HubConnection(session.AccessToken);
        var failure = await Assert.ThrowsAsync<HttpRequestException>(() => refused.StartAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, failure.StatusCode);
    }

    // The token in the query, as browsers' WebSockets must send it.
    private HubConnection HubConnection(string accessToken) => new HubConnectionBuilder()
        .WithUrl(new Uri(stack.RealtimeUrl, $"/hubs/chat?access_token={Uri.EscapeDataString(accessToken)}"))
        .Build();
}
