using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Kinder.Core.Chat;
using Kinder.Realtime.Hubs;
using Kinder.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;

namespace Kinder.Tests.Realtime;

/// <summary>
/// SignalR's default negotiation against two replicas behind a proxy that balances TCP connections (the AppHost's
/// Realtime URL): a negotiate through the proxy is redirected to the instance that answered it.
/// </summary>
public sealed class NegotiateThroughProxyTests(RedirectingRealtimeCluster cluster) : IClassFixture<RedirectingRealtimeCluster>
{
    [Fact]
    public async Task Default_negotiation_through_a_round_robin_proxy_reaches_the_hub_on_every_connection()
    {
        var users = new List<Kinder.Core.Identity.User>();
        for (var i = 0; i < 6; i++)
            users.Add(await cluster.First.CreateUserAsync());
        var conversation = await cluster.First.CreateConversationAsync(ConversationType.Group, users, title: "Proxy");
        var connections = users.Select(user => cluster.ConnectionThroughProxy(user)).ToList();
        try
        {
            foreach (var connection in connections)
                await connection.StartAsync();
            var logs = connections.Select(connection => new ServerEventLog(connection)).ToList();
            await WaitUntilEveryUserIsConnectedAsync(users);
            // The proxy alternates, so the users are spread: delivery to all of them crosses instances.
            Assert.NotEmpty(ProxiedRealtimeCluster.UsersConnectedTo(cluster.First));
            Assert.NotEmpty(ProxiedRealtimeCluster.UsersConnectedTo(cluster.Second));

            var sent = await connections[0].InvokeAsync<SendMessageResponse>("SendMessage", conversation.Id, "p-1", "Through the proxy");
            await cluster.First.PersistLikeTheProcessorAsync(conversation, users.Select(user => user.Id).ToList(), count: 1);

            foreach (var log in logs)
            {
                var (received, _) = await log.WaitAsync(ServerEvents.MessageNew, e => e.GetProperty("id").GetGuid() == sent.Id,
                    TimeSpan.FromSeconds(20));
                Assert.Equal("Through the proxy", received.GetProperty("body").GetString());
            }
        }
        finally
        {
            foreach (var connection in connections)
                await connection.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_negotiate_through_the_proxy_is_redirected_to_the_answering_instance_with_the_callers_token()
    {
        var token = TestTokens.ForNewUser().Token;
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post,
            new Uri(cluster.Proxy.Url, $"{ChatHub.Path}/negotiate?negotiateVersion=1&useStatefulReconnect=true&room=lobby"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);

        using var response = await http.SendAsync(request);

        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        // The client adds negotiateVersion and useStatefulReconnect again itself; other parameters stay.
        Assert.Contains(body.GetProperty("url").GetString(),
            cluster.InstanceUrls.Select(instance => new Uri(instance, $"{ChatHub.Path}?room=lobby").ToString()));
        Assert.Equal(token, body.GetProperty("accessToken").GetString());
        Assert.False(body.TryGetProperty("connectionToken", out _));
    }

    [Fact]
    public async Task A_redirect_carries_a_query_token_as_the_access_token_and_not_in_the_url()
    {
        var token = TestTokens.ForNewUser().Token;
        using var http = new HttpClient();

        using var response = await http.PostAsync(
            new Uri(cluster.Proxy.Url, $"{ChatHub.Path}/negotiate?negotiateVersion=1&access_token={Uri.EscapeDataString(token)}"), null);

        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(body.GetProperty("url").GetString(),
            cluster.InstanceUrls.Select(instance => new Uri(instance, ChatHub.Path).ToString()));
        Assert.Equal(token, body.GetProperty("accessToken").GetString());
    }

    [Fact]
    public async Task A_negotiate_that_reaches_an_instance_directly_gets_the_normal_negotiate_response()
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post,
            new Uri(cluster.InstanceUrls[0], $"{ChatHub.Path}/negotiate?negotiateVersion=1"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.ForNewUser().Token);

        using var response = await http.SendAsync(request);

        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(string.IsNullOrEmpty(body.GetProperty("connectionToken").GetString()));
        Assert.NotEqual(0, body.GetProperty("availableTransports").GetArrayLength());
        Assert.False(body.TryGetProperty("url", out _));
    }

    // A client's start can finish before the hub's OnConnectedAsync has registered the connection.
    private async Task WaitUntilEveryUserIsConnectedAsync(IReadOnlyList<Kinder.Core.Identity.User> users)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (users.Any(user => !ProxiedRealtimeCluster.UsersConnectedTo(cluster.First).Contains(user.Id)
                   && !ProxiedRealtimeCluster.UsersConnectedTo(cluster.Second).Contains(user.Id)))
        {
            Assert.True(DateTime.UtcNow < deadline, "Not every connection reached the hub.");
            await Task.Delay(50);
        }
    }
}

/// <summary>Without the redirect, the negotiate and the connection after it may land on different instances.</summary>
public sealed class NegotiateThroughProxyWithoutRedirectTests(NonRedirectingRealtimeCluster cluster)
    : IClassFixture<NonRedirectingRealtimeCluster>
{
    [Fact]
    public async Task Without_the_redirect_a_connection_through_a_round_robin_proxy_can_miss_its_negotiated_instance()
    {
        var failures = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            // WebSockets only, as a browser picks: a fallback transport could reuse the negotiate's TCP connection.
            await using var connection = cluster.ConnectionThroughProxy(await cluster.First.CreateUserAsync(),
                Microsoft.AspNetCore.Http.Connections.HttpTransportType.WebSockets);
            try
            {
                await connection.StartAsync();
            }
            catch (AggregateException ex)
            {
                failures.Add(ex.Message);
            }
        }

        // The instance that got the WebSocket does not know the connection token the other one handed out.
        Assert.NotEmpty(failures);
        Assert.All(failures, failure => Assert.Contains("404", failure));
    }
}
