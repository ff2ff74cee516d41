using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting.Testing;
using Kinder.Core;
using Microsoft.AspNetCore.SignalR.Client;

namespace Kinder.Tests.AppHost;

/// <summary>Kinder as `dotnet run --project Kinder.AppHost` starts it on a machine without a container runtime.</summary>
[Collection(AppHostCollection.Name)]
public sealed class AppHostTests(KinderAppHost host)
{
    [Fact]
    public async Task Every_resource_of_the_graph_runs_healthy_and_every_service_answers_its_health_endpoint()
    {
        // The fixture has waited for each resource's health checks; the services also say so themselves.
        Assert.Superset(
            new HashSet<string> { "postgres", KinderResources.Database, KinderResources.Redis, KinderResources.Kafka,
                KinderResources.Storage, KinderResources.Smtp, KinderResources.Stripe, KinderResources.Push, KinderResources.Api, KinderResources.Realtime, KinderResources.Workers },
            host.RunningResourceNames().ToHashSet());
        foreach (var service in new[] { KinderResources.Api, KinderResources.Realtime, KinderResources.Workers })
        {
            using var client = host.App.CreateHttpClient(service, "http");
            using var health = await client.GetAsync("/health");
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }
    }

    [Fact]
    public async Task A_chat_message_sent_through_the_api_reaches_the_other_member_over_signalr_in_one_trace()
    {
        var sender = await host.VerifiedUserAsync();
        var recipient = await host.VerifiedUserAsync();
        using var api = host.ApiClient(sender.AccessToken);
        var conversationId = await host.DirectConversationAsync(api, recipient.User.Id);

        // Default negotiation through the address clients are given, which two replicas share.
        var received = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var hub = host.ChatHub(recipient.AccessToken);
        hub.On<JsonElement>("message:new", message => received.TrySetResult(message));
        await hub.StartAsync();

        // The client starts the trace, as an instrumented app would; every hop must carry it on.
        var traceId = ActivityTraceId.CreateRandom();
        using var send = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/conversations/{conversationId}/messages")
        {
            Content = JsonContent.Create(new { clientMessageId = Guid.NewGuid().ToString(), type = "text", body = "Hello over the AppHost" }),
        };
        send.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
        using var accepted = await api.SendAsync(send);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);

        var message = await received.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("Hello over the AppHost", message.GetProperty("body").GetString());
        Assert.Equal(sender.User.Id, message.GetProperty("senderId").GetGuid());

        // Services export in batches (every second under the AppHost in Development): wait for Realtime's span.
        var services = await WaitForServicesInTraceAsync(traceId.ToString(), [KinderResources.Api, KinderResources.Workers, KinderResources.Realtime]);
        Assert.Superset(new HashSet<string> { KinderResources.Api, KinderResources.Workers, KinderResources.Realtime }, services);
    }

    [Fact]
    public async Task Each_message_sent_over_the_hub_continues_its_callers_trace_through_workers_and_realtime()
    {
        var sender = await host.VerifiedUserAsync();
        var recipient = await host.VerifiedUserAsync();
        using var api = host.ApiClient(sender.AccessToken);
        var conversationId = await host.DirectConversationAsync(api, recipient.User.Id);

        // The SignalR client passes each invocation's trace on when its source is listened to, as an instrumented
        // app's is. SignalR's server starts an activity per hub call under that trace, not under the connection's
        // long-lived request; ServiceDefaults' ASP.NET Core instrumentation records it (EnableAspNetCoreSignalRSupport).
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Microsoft.AspNetCore.SignalR.Client",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        await using var hub = host.ChatHub(sender.AccessToken);
        await hub.StartAsync();

        // Two sends on one connection, two traces.
        var traceIds = new List<string>();
        foreach (var body in new[] { "first over the hub", "second over the hub" })
        {
            using var send = new Activity("e2e hub send").SetIdFormat(ActivityIdFormat.W3C).Start();
            await hub.InvokeAsync<JsonElement>("SendMessage", conversationId, Guid.NewGuid().ToString(), body);
            traceIds.Add(send.TraceId.ToHexString());
        }

        foreach (var traceId in traceIds)
        {
            var services = await WaitForServicesInTraceAsync(traceId, [KinderResources.Realtime, KinderResources.Workers]);
            Assert.Superset(new HashSet<string> { KinderResources.Realtime, KinderResources.Workers }, services);
            Assert.Contains(host.Traces.Spans, span => span.TraceId == traceId && span.Service == KinderResources.Realtime
                && span.Name == "Kinder.Realtime.Hubs.ChatHub/SendMessage");
        }
    }

    private async Task<HashSet<string>> WaitForServicesInTraceAsync(string traceId, string[] expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var services = host.Traces.Spans.Where(span => span.TraceId == traceId)
                .Select(span => span.Service).ToHashSet();
            if (expected.All(services.Contains) || DateTime.UtcNow > deadline)
                return services;
            await Task.Delay(250);
        }
    }
}
