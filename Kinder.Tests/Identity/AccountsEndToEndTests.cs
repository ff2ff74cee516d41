using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Kinder.Tests.AppHost;
using Microsoft.AspNetCore.SignalR.Client;

namespace Kinder.Tests.Identity;

/// <summary>Accounts across the AppHost's running services: a session from the Api opens the Realtime hub until it is logged out.</summary>
[Collection(AppHostCollection.Name)]
public sealed class AccountsEndToEndTests(KinderAppHost host)
{
    [Fact]
    public async Task A_logged_out_access_token_no_longer_opens_the_hub()
    {
        using var client = new HttpClient { BaseAddress = host.ApiUrl };
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

    [Fact]
    public async Task A_registration_mails_a_verification_link_and_following_it_verifies_the_account()
    {
        using var client = new HttpClient { BaseAddress = host.ApiUrl };
        var email = Accounts.NewEmail();
        var session = await client.RegisterAsync(email);

        // Timing is not asserted here (tests are not benchmarks); on an idle machine the mail arrives in about a second.
        var mail = await host.Mail.WaitForMessageToAsync(email, TimeSpan.FromSeconds(30));
        var link = Regex.Match(mail.TextBody ?? "", @"https?://\S+verify-email\?token=(?<token>[A-Za-z0-9_\-]+)");
        Assert.True(link.Success, "No verification link in:\n" + mail.TextBody);
        Assert.Contains(link.Value, mail.HtmlBody);

        var verify = await client.PostAsJsonAsync("/api/v1/auth/verify-email", new { token = link.Groups["token"].Value });
        Assert.Equal(HttpStatusCode.NoContent, verify.StatusCode);
        var me = JsonDocument.Parse(await (await client.GetMeAsync(session.AccessToken)).Content.ReadAsStringAsync()).RootElement;
        Assert.True(me.GetProperty("emailVerified").GetBoolean());
    }

    // The token in the query, as browsers' WebSockets must send it.
    private HubConnection HubConnection(string accessToken) => new HubConnectionBuilder()
        .WithUrl(new Uri(host.RealtimeUrl, $"/hubs/chat?access_token={Uri.EscapeDataString(accessToken)}"))
        .Build();
}
