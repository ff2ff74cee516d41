using Kinder.Workers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Kinder.Tests.Infrastructure;

/// <summary>Workers in process against a database of its own, Redis and the run's Kafka mock broker.</summary>
public class WorkersFactory : WebApplicationFactory<WorkersAssembly>, IAsyncLifetime
{
    public string DatabaseConnectionString { get; private set; } = "";

    public virtual async Task InitializeAsync() => DatabaseConnectionString = await TestDatabases.CreateAsync("workers");

    protected override void ConfigureWebHost(IWebHostBuilder builder) => builder.UseTestServers(DatabaseConnectionString);

    public new virtual async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await TestDatabases.DropAsync(DatabaseConnectionString);
    }
}
