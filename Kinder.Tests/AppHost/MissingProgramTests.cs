using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Kinder.Core;
using Kinder.Tests.Messaging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kinder.Tests.AppHost;

/// <summary>
/// A machine that lacks a program the local mode needs: the resource fails with a line that says what to install,
/// the AppHost's console names it with that line, and the services that wait for it give up instead of waiting forever.
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
        var console = new ConsoleLines();
        builder.Services.AddLogging(logging => logging
            .AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.None)
            .AddProvider(console));
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

            // The console names it at once, with the line that says what to install.
            await Eventually.TrueAsync(() => console.Errors.Any(line => line.Contains("storage failed to start", StringComparison.Ordinal)),
                "the AppHost's console names the failed resource", TimeSpan.FromSeconds(30));
            var report = console.Errors.First(line => line.Contains("storage failed to start", StringComparison.Ordinal));
            Assert.Contains("s3rver.js is missing: npm install", report, StringComparison.Ordinal);
            Assert.Contains("/consolelogs/resource/", report, StringComparison.Ordinal);

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

    /// <summary>The AppHost's errors as its console shows them.</summary>
    private sealed class ConsoleLines : ILoggerProvider
    {
        public System.Collections.Concurrent.ConcurrentQueue<string> Errors { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void Dispose() { }

        private sealed class Logger(ConsoleLines lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
                Func<TState, Exception?, string> formatter)
            {
                if (IsEnabled(logLevel))
                    lines.Errors.Enqueue(formatter(state, exception));
            }
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
