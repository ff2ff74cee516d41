using System.Net;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Kinder.Core;

namespace Kinder.AppHost.Tests;

/// <summary>
/// Starts the real AppHost graph (containers included), so it needs Docker or Podman and a few minutes
/// on the first run while images are pulled.
/// </summary>
public class AppHostTests
{
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromMinutes(5);

    private static readonly string[] Services = [KinderResources.Api, KinderResources.Realtime, KinderResources.Workers];

    [Fact]
    public async Task The_whole_graph_starts_and_every_service_answers_its_health_check()
    {
        using var timeout = new CancellationTokenSource(StartupTimeout);
        var cancellationToken = timeout.Token;

        var appHost = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Kinder_AppHost>(cancellationToken);

        // Values a developer set in the AppHost's user secrets win; a clean machine gets these.
        appHost.Configuration["Parameters:jwt-signing-key"] ??= "apphost-test-signing-key-0123456789abcdef0123456789";
        appHost.Configuration["Parameters:storage-access-key"] ??= "kinder-test";
        appHost.Configuration["Parameters:storage-secret-key"] ??= "kinder-test-secret";

        await using var app = await appHost.BuildAsync(cancellationToken);
        await app.StartAsync(cancellationToken);

        var migration = await app.ResourceNotifications.WaitForResourceAsync(
            KinderResources.Migrator,
            resourceEvent => resourceEvent.Snapshot.State?.Text is { } state && KnownResourceStates.TerminalStates.Contains(state),
            cancellationToken);
        Assert.Equal(0, migration.Snapshot.ExitCode);

        foreach (var service in Services)
        {
            await app.ResourceNotifications.WaitForResourceHealthyAsync(service, cancellationToken);

            using var client = app.CreateHttpClient(service);
            using var health = await client.GetAsync("/health", cancellationToken);
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }

        using var api = app.CreateHttpClient(KinderResources.Api);
        using var version = await api.GetAsync("/api/version", cancellationToken);
        Assert.Equal(HttpStatusCode.OK, version.StatusCode);
    }
}
