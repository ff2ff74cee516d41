using System.Diagnostics;
using System.Text.Json;
using Kinder.Core;
using Kinder.Tests.EndToEnd;

namespace Kinder.Tests.AppHost;

/// <summary>
/// The deployment manifest (`dotnet run --project Kinder.AppHost -- --publisher manifest --output-path …`, what azd and
/// aspirate read): every service with its references and the parameters a deployment must supply, and no secret.
/// </summary>
public sealed class ManifestTests : IAsyncLifetime
{
    private static readonly string[] Services = [KinderResources.Api, KinderResources.Realtime, KinderResources.Workers];
    private static readonly string[] SecretParameters =
        ["jwt-signing-key", "postgres-password", "redis-password", "storage-access-key", "storage-secret-key",
         "stripe-api-key", "stripe-webhook-secret", "push-fcm-private-key", "push-apns-private-key"];

    private readonly string _directory = Directory.CreateTempSubdirectory("kinder-manifest-").FullName;
    private string _text = "";
    private JsonElement _resources;

    public async Task InitializeAsync()
    {
        var output = Path.Combine(_directory, "aspire-manifest.json");
        var startInfo = new ProcessStartInfo("dotnet",
            [BuildOutput.DllOf("Kinder.AppHost"), "--publisher", "manifest", "--output-path", output])
        {
            WorkingDirectory = Path.Combine(BuildOutput.RepositoryRoot, "Kinder.AppHost"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(startInfo)!;
        var log = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromMinutes(2)).Token);
        Assert.True(process.ExitCode == 0, $"Publishing failed ({process.ExitCode}):\n{await log}\n{await errors}");
        _text = await File.ReadAllTextAsync(output);
        _resources = JsonDocument.Parse(_text).RootElement.GetProperty("resources");
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public void Every_service_is_a_project_with_the_databases_caches_and_brokers_it_references()
    {
        foreach (var service in Services.Append(KinderResources.Migrator))
            Assert.Equal("project.v0", Resource(service).GetProperty("type").GetString());
        foreach (var service in Services)
        {
            var environment = Resource(service).GetProperty("env");
            // The database as the services' own role, which the migrator creates (ApplicationRole).
            Assert.Equal("{kinderdb.connectionString};Username=kinder_app;Password={kinder-app-password.value}",
                environment.GetProperty("ConnectionStrings__kinderdb").GetString());
            Assert.Equal("{redis.connectionString}", environment.GetProperty("ConnectionStrings__redis").GetString());
            Assert.Equal("{kafka.connectionString}", environment.GetProperty("ConnectionStrings__kafka").GetString());
            Assert.Equal("{smtp-host.value}", environment.GetProperty("Smtp__Host").GetString());
            Assert.StartsWith("{storage.bindings.http.", environment.GetProperty("Storage__ServiceUrl").GetString());
        }
        Assert.Equal("{jwt-signing-key.value}", Resource(KinderResources.Api).GetProperty("env").GetProperty("Jwt__SigningKey").GetString());
        // Deployed Realtime runs socket completions inline, as its Kestrel option expects (RealtimeOptions.InlineSocketScheduling).
        var realtime = Resource(KinderResources.Realtime).GetProperty("env");
        Assert.Equal("1", realtime.GetProperty("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS").GetString());
        Assert.Equal("0x400000", realtime.GetProperty("DOTNET_GCGen0MaxBudget").GetString());
        var migrator = Resource(KinderResources.Migrator).GetProperty("env");
        Assert.Equal("{kinderdb.connectionString}", migrator.GetProperty("ConnectionStrings__kinderdb").GetString());
        Assert.Equal("kinder_app", migrator.GetProperty("Database__ApplicationRole").GetString());
        Assert.Equal("{kinder-app-password.value}", migrator.GetProperty("Database__ApplicationRolePassword").GetString());
    }

    [Fact]
    public void Api_and_realtime_are_reachable_from_outside_and_workers_are_not()
    {
        Assert.True(Resource(KinderResources.Api).GetProperty("bindings").GetProperty("http").GetProperty("external").GetBoolean());
        Assert.True(Resource(KinderResources.Realtime).GetProperty("bindings").GetProperty("http").GetProperty("external").GetBoolean());
        Assert.False(Resource(KinderResources.Workers).GetProperty("bindings").GetProperty("http").TryGetProperty("external", out _));
    }

    [Fact]
    public void The_infrastructure_is_containers_with_postgis_and_development_helpers_stay_out()
    {
        Assert.Equal("container.v0", Resource(KinderResources.Postgres).GetProperty("type").GetString());
        Assert.Contains("postgis/postgis:", Resource(KinderResources.Postgres).GetProperty("image").GetString());
        Assert.Equal("container.v0", Resource(KinderResources.Kafka).GetProperty("type").GetString());
        foreach (var localOnly in new[] { KinderResources.Smtp, KinderResources.Stripe, KinderResources.Push, "kafka-ui", "infrastructure" })
            Assert.False(_resources.TryGetProperty(localOnly, out _), $"{localOnly} is in the manifest");
        // The negotiate redirect is for the AppHost's proxy only; behind an ingress it would send clients astray.
        Assert.DoesNotContain("RedirectNegotiateToInstance", _text);
    }

    [Fact]
    public void Secrets_are_parameters_a_deployment_supplies_and_no_value_is_written_down()
    {
        foreach (var name in SecretParameters)
        {
            var input = Resource(name).GetProperty("inputs").GetProperty("value");
            Assert.True(input.GetProperty("secret").GetBoolean(), $"{name} is not secret");
            Assert.False(input.TryGetProperty("default", out var preset) && preset.TryGetProperty("value", out _),
                $"{name} has a default value in the manifest");
        }
        // Nor does anything this machine's AppHost keeps in its user secrets (a generated signing key, say).
        foreach (var secret in UserSecretValues())
            Assert.DoesNotContain(secret, _text);
    }

    private JsonElement Resource(string name) =>
        _resources.TryGetProperty(name, out var resource) ? resource : throw new Xunit.Sdk.XunitException($"{name} is not in the manifest:\n{_text}");

    private static IEnumerable<string> UserSecretValues()
    {
        var file = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile),
            ".microsoft", "usersecrets", "74929067-c906-43cc-b6b1-1990c0299bdb", "secrets.json");
        if (!File.Exists(file))
            return [];
        return JsonDocument.Parse(File.ReadAllText(file)).RootElement.EnumerateObject()
            .Select(entry => entry.Value.ToString())
            .Where(value => value.Length >= 16);
    }
}
