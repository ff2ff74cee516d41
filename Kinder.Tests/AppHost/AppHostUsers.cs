using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Kinder.Api.Identity;
using Kinder.Tests.Identity;
using Microsoft.AspNetCore.SignalR.Client;

namespace Kinder.Tests.AppHost;

/// <summary>Users and conversations on the AppHost's graph, made the way a client makes them.</summary>
public static class AppHostUsers
{
    /// <summary>Registers, follows the link the inbox received, and signs in again (the token then says verified).</summary>
    public static async Task<AuthSessionResponse> VerifiedUserAsync(this KinderAppHost host)
    {
        using var client = host.ApiClient(accessToken: null);
        var email = Accounts.NewEmail();
        await client.RegisterAsync(email);
        var mail = await host.Mail.WaitForMessageToAsync(email);
        var token = Regex.Match(mail.TextBody ?? "", @"verify-email\?token=(?<token>[A-Za-z0-9_\-]+)");
        Assert.True(token.Success, "No verification link in:\n" + mail.TextBody);
        using var verify = await client.PostAsJsonAsync("/api/v1/auth/verify-email", new { token = token.Groups["token"].Value });
        Assert.Equal(HttpStatusCode.NoContent, verify.StatusCode);
        return await client.LoginAsync(email);
    }

    public static HttpClient ApiClient(this KinderAppHost host, string? accessToken)
    {
        var client = new HttpClient { BaseAddress = host.ApiUrl, Timeout = TimeSpan.FromSeconds(30) };
        if (accessToken is not null)
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return client;
    }

    /// <summary>A chat hub connection through the address clients are given (default negotiation), not started.</summary>
    public static HubConnection ChatHub(this KinderAppHost host, string accessToken) =>
        new HubConnectionBuilder()
            .WithUrl(new Uri(host.RealtimeUrl, "/hubs/chat"), options =>
                options.AccessTokenProvider = () => Task.FromResult<string?>(accessToken))
            .Build();

    public static async Task<Guid> DirectConversationAsync(this KinderAppHost host, HttpClient api, Guid otherUserId)
    {
        using var create = await api.PostAsJsonAsync("/api/v1/conversations", new { type = "direct", memberIds = new[] { otherUserId } });
        Assert.True(create.IsSuccessStatusCode, await create.Content.ReadAsStringAsync());
        return (await create.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }
}
