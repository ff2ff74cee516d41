using System.Net;
using System.Net.Http.Json;
using Kinder.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;

namespace Kinder.Tests.EndToEnd;

/// <summary>The outbox across a crash: Workers killed (SIGKILL) while the Api commits, so on <see cref="KinderStack"/>.</summary>
[Collection(KinderStackCollection.Name)]
public sealed class WorkersCrashEndToEndTests(KinderStack stack)
{
    [Fact]
    public async Task What_the_api_commits_while_workers_are_killed_is_relayed_once_they_start_again()
    {
        var token = (await TestTokens.ForNewAdminAsync(stack.DatabaseConnectionString)).Token; // probes are an operator's, and reach the operator
        await using var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(stack.RealtimeUrls[0], "/hubs/chat"), options => options.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .Build();
        var message = "while down " + Guid.NewGuid();
        var received = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.On<ProbeNotification>("probe:recorded", probe =>
        {
            if (probe.Message == message)
            {
                received.TrySetResult();
            }
        });
        await connection.StartAsync();

        await stack.StopWorkersAsync(kill: true);
        using var client = new HttpClient { BaseAddress = stack.ApiUrl };
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        var response = await client.PostAsJsonAsync("/api/v1/diagnostics/probes", new { message });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        await stack.StartWorkersAsync();

        await received.Task.WaitAsync(TimeSpan.FromSeconds(60)).ContinueWith(task =>
            task.IsCompletedSuccessfully ? task : throw new TimeoutException("No probe:recorded arrived.\n" + stack.Logs()));
    }

    private sealed record ProbeNotification(Guid ProbeId, string Message);
}
