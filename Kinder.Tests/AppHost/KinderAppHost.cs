using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Kinder.Core;
using Kinder.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kinder.Tests.AppHost;

/// <summary>
/// The whole graph started from Kinder.AppHost with Aspire.Hosting.Testing, as `dotnet run` starts it on a machine
/// without Docker: local infrastructure in a state directory of its own, every port picked free (so it runs beside a
/// developer's stack), two Realtime replicas behind Aspire's proxy, and telemetry sent to <see cref="Traces"/>
/// instead of the dashboard. Started once for the tests of the <see cref="AppHostCollection"/>.
/// </summary>
public sealed class KinderAppHost : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);
    private readonly string _stateDirectory = TraversableTemporaryDirectory("kinder-apphost-");

    public DistributedApplication App { get; private set; } = null!;

    public OtlpTraceReceiver Traces { get; } = OtlpTraceReceiver.Start();

    public Smtp4devInbox Mail { get; private set; } = null!;

    public Uri ApiUrl { get; private set; } = null!;

    public Uri RealtimeUrl { get; private set; } = null!;

    public Uri WorkersUrl { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(StartTimeout);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Kinder_AppHost>(
        [
            "--Kinder:Infrastructure=local",
            $"--Kinder:StateDirectory={_stateDirectory}",
            "--Kinder:RealtimeReplicas=2",
            // The run's key, so tokens from TestTokens are valid in the graph's services.
            $"--Parameters:jwt-signing-key={TestServers.JwtSigningKey}",
            .. new[] { "Api", "Realtime", "MailInbox", "Postgres", "Redis", "Kafka", "Smtp", "Storage", "Stripe", "Push", "PushApns" }
                .Select(port => $"--Kinder:Ports:{port}=0"),
        ], timeout.Token);

        // Telemetry to the receiver (OTLP/HTTP) instead of the dashboard, which tests do not run. Added after the
        // AppHost's own OTLP settings, so these win.
        foreach (var project in builder.Resources.OfType<ProjectResource>())
        {
            project.Annotations.Add(new EnvironmentCallbackAnnotation(context =>
            {
                context.EnvironmentVariables["OTEL_EXPORTER_OTLP_ENDPOINT"] = Traces.Url;
                context.EnvironmentVariables["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
                context.EnvironmentVariables["OTEL_BSP_SCHEDULE_DELAY"] = "500";
            }));
        }

        // A resource that is still starting fails its health checks; the test output needs no line for each.
        builder.Services.AddLogging(logging => logging
            .AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.None)
            .AddFilter("System.Net.Http.HttpClient", LogLevel.Warning)
            // Resource output is read through ResourceLoggerService where a test needs it; the console gets problems only.
            .AddFilter("Kinder.AppHost.Resources", LogLevel.Warning));
        App = await builder.BuildAsync(timeout.Token);
        await App.StartAsync(timeout.Token);
        await WaitUntilEveryResourceIsHealthyAsync(timeout.Token);

        ApiUrl = App.GetEndpoint(KinderResources.Api, "http");
        RealtimeUrl = App.GetEndpoint(KinderResources.Realtime, "http");
        WorkersUrl = App.GetEndpoint(KinderResources.Workers, "http");
        Mail = new Smtp4devInbox(App.GetEndpoint(KinderResources.Smtp, "http"));
    }

    /// <summary>Kinder's resources that keep running — each has a health check — by name.</summary>
    public IReadOnlyList<string> RunningResourceNames() =>
        App.Services.GetRequiredService<DistributedApplicationModel>().Resources
            .Where(resource => resource.TryGetAnnotationsOfType<HealthCheckAnnotation>(out _))
            .Select(resource => resource.Name)
            .ToList();

    /// <summary>
    /// The first console line of <paramref name="resourceName"/> (any replica) that matches, written before the call
    /// or within <paramref name="timeout"/> of it.
    /// </summary>
    public async Task<string> WaitForLogLineAsync(string resourceName, Func<string, bool> predicate, TimeSpan timeout)
    {
        using var watching = new CancellationTokenSource(timeout);
        try
        {
            // The stream starts with the lines written so far.
            await foreach (var batch in Logs.WatchAsync(Resource(resourceName)).WithCancellation(watching.Token))
            {
                if (batch.Select(line => line.Content).FirstOrDefault(predicate) is { } match)
                    return match;
            }
        }
        catch (OperationCanceledException) when (watching.IsCancellationRequested)
        {
            // Timed out; said below.
        }
        throw new TimeoutException($"{resourceName} wrote no matching line within {timeout}.\n{await LogsAsync(resourceName)}");
    }

    /// <summary>The last console lines of the services (every replica), for a failure's message.</summary>
    public async Task<string> LogsAsync(params string[] resourceNames)
    {
        const int LinesPerService = 200;
        var output = new List<string>();
        foreach (var name in resourceNames.Length > 0 ? resourceNames : [KinderResources.Api, KinderResources.Realtime, KinderResources.Workers])
        {
            var lines = new List<string>();
            await foreach (var batch in Logs.GetAllAsync(Resource(name)))
                lines.AddRange(batch.Select(line => $"[{name}] {line.Content}"));
            output.AddRange(lines.TakeLast(LinesPerService));
        }
        return string.Join('\n', output);
    }

    private ResourceLoggerService Logs => App.Services.GetRequiredService<ResourceLoggerService>();

    private IResource Resource(string name) =>
        App.Services.GetRequiredService<DistributedApplicationModel>().Resources.Single(resource => resource.Name == name);

    private async Task WaitUntilEveryResourceIsHealthyAsync(CancellationToken cancellationToken)
    {
        var migration = await App.ResourceNotifications.WaitForResourceAsync(KinderResources.Migrator,
            resourceEvent => resourceEvent.Snapshot.State?.Text is { } state && KnownResourceStates.TerminalStates.Contains(state),
            cancellationToken);
        Assert.True(migration.Snapshot.ExitCode == 0, $"The migrate step ended {migration.Snapshot.State?.Text} with {migration.Snapshot.ExitCode}.");
        await Task.WhenAll(RunningResourceNames().Select(name =>
            App.ResourceNotifications.WaitForResourceHealthyAsync(name, cancellationToken)));
    }

    /// <summary>
    /// A temporary state directory the postgres user can enter (CreateTempSubdirectory makes it 0700), so the local
    /// cluster is created, and deleted, inside it.
    /// </summary>
    public static string TraversableTemporaryDirectory(string prefix)
    {
        var directory = Directory.CreateTempSubdirectory(prefix);
        if (!OperatingSystem.IsWindows())
        {
            directory.UnixFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
                UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        }
        return directory.FullName;
    }

    public async Task DisposeAsync()
    {
        if (App is not null)
            await App.DisposeAsync();
        Traces.Dispose();
        // PostgreSQL's files belong to the postgres user; the run is root (CI) or their owner.
        try
        {
            Directory.Delete(_stateDirectory, recursive: true);
        }
        catch (UnauthorizedAccessException)
        {
            // A developer's non-root run cannot delete another user's files; /tmp is cleaned by the OS.
        }
    }
}

/// <summary>
/// The whole-graph tests share one AppHost and run on their own, after the parallel classes: starting the graph
/// uses both cores for a minute, which would slow every test beside it.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AppHostCollection : ICollectionFixture<KinderAppHost>
{
    public const string Name = "AppHost";
}
