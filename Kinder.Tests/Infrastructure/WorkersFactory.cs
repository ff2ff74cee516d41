using Kinder.Core;
using Kinder.Workers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Kinder.Tests.Infrastructure;

/// <summary>Workers in process against a database of its own, Redis and the run's Kafka mock broker.</summary>
public sealed class WorkersFactory : WebApplicationFactory<WorkersAssembly>, IAsyncLifetime
{
    public string DatabaseConnectionString { get; private set; } = "";

    public async Task InitializeAsync() => DatabaseConnectionString = await TestDatabases.CreateAsync("workers");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting($"ConnectionStrings:{KinderResources.Database}", DatabaseConnectionString);
        builder.UseSetting($"ConnectionStrings:{KinderResources.Redis}", TestServers.Redis);
        builder.UseSetting($"ConnectionStrings:{KinderResources.Kafka}", TestKafka.BootstrapServers);
        // EF logs every failed command with its stack; the tests assert on responses, not on those lines.
        builder.UseSetting("Logging:LogLevel:Microsoft.EntityFrameworkCore", "Critical");
    }

    public new async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await TestDatabases.DropAsync(DatabaseConnectionString);
    }
}
