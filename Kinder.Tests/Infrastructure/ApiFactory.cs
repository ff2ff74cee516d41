using Kinder.Api;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Kinder.Tests.Infrastructure;

/// <summary>
/// The Api in process (TestServer) against the run's real PostgreSQL (a database of its own), Redis and
/// Kafka mock broker. Shared by the tests of a class through <c>IClassFixture</c>.
/// </summary>
public class ApiFactory : WebApplicationFactory<ApiAssembly>, IAsyncLifetime
{
    public string DatabaseConnectionString { get; private set; } = "";

    public virtual async Task InitializeAsync() => DatabaseConnectionString = await TestDatabases.CreateAsync("api");

    protected override void ConfigureWebHost(IWebHostBuilder builder) => builder.UseTestServers(DatabaseConnectionString);

    public new async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await TestDatabases.DropAsync(DatabaseConnectionString);
    }
}
