using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Aspire.Hosting.Testing;
using Kinder.Core;
using Kinder.Tests.AppHost;
using Kinder.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;

namespace Kinder.Tests.EndToEnd;

/// <summary>
/// Api → outbox → Workers → Kafka → Realtime → SignalR, across the AppHost's running services, in one trace.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class PlumbingEndToEndTests(KinderAppHost host)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Every_service_reports_healthy_and_alive()
    {
        using var client = new HttpClient();
        foreach (var url in new[] { host.ApiUrl, host.RealtimeUrl, host.WorkersUrl })
        {
            foreach (var path in new[] { "/health", "/alive", "/healthz", "/readyz" })
            {
                var response = await client.GetAsync(new Uri(url, path));
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}{path}: {(int)response.StatusCode}");
            }
        }
    }

    [Fact]
    public async Task A_committed_change_reaches_a_connected_signalr_client_in_one_trace()
    {
        // Probes are an operator's, and their result reaches the operator's own connections.
        var token = (await TestTokens.ForNewAdminAsync((await host.App.GetConnectionStringAsync("kinderdb"))!)).Token;
        await using var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(host.RealtimeUrl, "/hubs/chat"), options => options.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .Build();
        var received = new TaskCompletionSource<ProbeNotification>(TaskCreationOptions.RunContinuationsAsynchronously);
        var message = "probe " + Guid.NewGuid();
        connection.On<ProbeNotification>("probe:recorded", probe =>
        {
            if (probe.Message == message)
            {
                received.TrySetResult(probe);
            }
        });
        await connection.StartAsync();

        // The client starts the trace, as an instrumented app would; every hop must continue it.
        using var clientSpan = new Activity("e2e client").SetIdFormat(ActivityIdFormat.W3C).Start();
        var traceId = clientSpan.TraceId.ToHexString();
        using var client = new HttpClient { BaseAddress = host.ApiUrl };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/diagnostics/probes")
        {
            Content = JsonContent.Create(new { message }),
        };
        request.Headers.Authorization = new("Bearer", token);
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.NotNull(response.Headers.Location);

        ProbeNotification probe;
        try
        {
            probe = await received.Task.WaitAsync(Patience);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException("No probe:recorded arrived.\n" + await host.LogsAsync());
        }
        Assert.True(traceId == probe.TraceId, $"Trace {traceId} became {probe.TraceId} on the way:\n{await host.LogsAsync()}");
        await WaitForLogInTraceAsync(KinderResources.Api, traceId, "Recorded probe");
        await WaitForLogInTraceAsync(KinderResources.Workers, traceId, "Relayed outbox");
        await WaitForLogInTraceAsync(KinderResources.Realtime, traceId, "Pushed probe");
    }

    /// <summary>
    /// Waits for <paramref name="service"/>'s log record of the trace, as the dashboard shows it: written in it, or
    /// naming it (the relay and the consumer log outside the record's trace). Under the AppHost the console lines
    /// carry no trace id; the exported records do, in batches.
    /// </summary>
    private async Task WaitForLogInTraceAsync(string service, string traceId, string text)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!host.Traces.Logs.Any(log => log.Service == service && log.Body.Contains(text)
                   && (log.TraceId == traceId || log.Body.Contains(traceId))))
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{service} exported no \"{text}\" log in trace {traceId}.\n{await host.LogsAsync(service)}");
            await Task.Delay(250);
        }
    }

    [Fact]
    public async Task Errors_from_the_running_api_are_problem_json()
    {
        using var client = new HttpClient { BaseAddress = host.ApiUrl };
        client.DefaultRequestHeaders.Authorization = new("Bearer", (await TestTokens.ForNewAdminAsync((await host.App.GetConnectionStringAsync("kinderdb"))!)).Token);

        var notFound = await client.GetAsync("/api/v1/nope");
        await notFound.AssertProblemAsync(HttpStatusCode.NotFound, ErrorCodes.NotFound);

        var malformed = await client.PostAsync("/api/v1/diagnostics/probes",
            new StringContent("{not json", Encoding.UTF8, "application/json"));
        await malformed.AssertProblemAsync(HttpStatusCode.BadRequest, ErrorCodes.MalformedRequest);

        // Chunked, so only the server's own limit can stop it part-way.
        var chunked = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes("{\"message\":\"" + new string('x', 2 * 1024 * 1024) + "\"}")));
        chunked.Headers.ContentType = new("application/json");
        using var tooLarge = new HttpRequestMessage(HttpMethod.Post, "/api/v1/diagnostics/probes") { Content = chunked };
        tooLarge.Headers.TransferEncodingChunked = true;
        var response = await client.SendAsync(tooLarge);
        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, ErrorCodes.PayloadTooLarge);
    }

    [Fact]
    public async Task The_hub_refuses_a_connection_without_a_token()
    {
        await using var connection = new HubConnectionBuilder().WithUrl(new Uri(host.RealtimeUrl, "/hubs/chat")).Build();

        var failure = await Assert.ThrowsAsync<HttpRequestException>(() => connection.StartAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, failure.StatusCode);
    }

    [Fact]
    public async Task The_hub_refuses_a_revoked_token()
    {
        var token = TestTokens.ForNewUser();
        using (var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(
                   (await host.App.GetConnectionStringAsync(KinderResources.Redis))!))
        {
            await new Kinder.Core.Identity.AccessTokenBlacklist(redis, TimeProvider.System).RevokeAsync(token.TokenId, token.ExpiresAt);
        }
        await using var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(host.RealtimeUrl, "/hubs/chat"), options => options.AccessTokenProvider = () => Task.FromResult<string?>(token.Token))
            .Build();

        var failure = await Assert.ThrowsAsync<HttpRequestException>(() => connection.StartAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, failure.StatusCode);
    }

    private sealed record ProbeNotification(Guid ProbeId, string Message, DateTimeOffset RecordedAt, string? TraceId);
}
