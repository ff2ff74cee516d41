using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Kinder.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kinder.Tests.AppHost;

/// <summary>
/// A machine that lacks a program the local mode needs: the resource fails with a line that says what to install,
/// and the services that wait for it give up instead of waiting forever.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class MissingProgramTests
{
    [Fact]
    public async Task Without_s3rver_the_storage_resource_fails_saying_what_to_install_and_its_dependents_stop_waiting()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var stateDirectory = KinderAppHost.TraversableTemporaryDirectory("kinder-missing-");
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Kinder_AppHost>(
        [
            "--Kinder:Infrastructure=local",
            $"--Kinder:StateDirectory={stateDirectory}",
            $"--Kinder:NodePackages={Path.Combine(stateDirectory, "no-npm-packages")}",
            .. new[] { "Api", "Realtime", "MailInbox", "Postgres", "Redis", "Kafka", "Smtp", "Storage" }
                .Select(port => $"--Kinder:Ports:{port}=0"),
        ], timeout.Token);
        builder.Services.AddLogging(logging => logging.AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.None));
        await using var app = await builder.BuildAsync(timeout.Token);
        try
        {
            // Start returns once every resource has started or given up.
            await app.StartAsync(timeout.Token);

            var storage = await app.ResourceNotifications.WaitForResourceAsync(KinderResources.Storage,
                resourceEvent => IsTerminal(resourceEvent.Snapshot.State?.Text), timeout.Token);
            Assert.Equal(KnownResourceStates.FailedToStart, storage.Snapshot.State?.Text);
            var log = await ReadLogAsync(app, storage.Resource, timeout.Token);
            Assert.Contains(log, line => line.Contains("s3rver.js is missing: npm install", StringComparison.Ordinal));

            foreach (var dependent in new[] { KinderResources.Api, KinderResources.Workers })
            {
                var stopped = await app.ResourceNotifications.WaitForResourceAsync(dependent,
                    resourceEvent => IsTerminal(resourceEvent.Snapshot.State?.Text), timeout.Token);
                Assert.Equal(KnownResourceStates.FailedToStart, stopped.Snapshot.State?.Text);
            }
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
            Directory.Delete(stateDirectory, recursive: true);
        }
    }

    private static bool IsTerminal(string? state) => state is not null && KnownResourceStates.TerminalStates.Contains(state);

    private static async Task<List<string>> ReadLogAsync(DistributedApplication app, IResource resource, CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        using var enough = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        enough.CancelAfter(TimeSpan.FromSeconds(10));
        try
        {
            await foreach (var batch in app.Services.GetRequiredService<ResourceLoggerService>().WatchAsync(resource).WithCancellation(enough.Token))
            {
                lines.AddRange(batch.Select(line => line.Content));
                if (lines.Any(line => line.Contains("is missing", StringComparison.Ordinal)))
                    break;
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Ten seconds of log without the line: the assertion says so.
        }
        return lines;
    }
}
