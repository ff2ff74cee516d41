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
    private readonly bool sharesDatabase;
    private readonly IReadOnlyDictionary<string, string?> settings = new Dictionary<string, string?>();

    public ApiFactory()
    {
    }

    // xUnit builds class fixtures through their one public constructor.
    private ApiFactory(string databaseConnectionString, IReadOnlyDictionary<string, string?> settings)
    {
        DatabaseConnectionString = databaseConnectionString;
        sharesDatabase = true;
        this.settings = settings;
    }

    /// <summary>An Api on a database another host made (and drops), e.g. a Realtime test host's, with settings of its
    /// own on top of the test ones.</summary>
    public static ApiFactory OnDatabase(string databaseConnectionString, IReadOnlyDictionary<string, string?>? settings = null) =>
        new(databaseConnectionString, settings ?? new Dictionary<string, string?>());

    public string DatabaseConnectionString { get; private set; } = "";

    public virtual async Task InitializeAsync()
    {
        if (!sharesDatabase)
            DatabaseConnectionString = await TestDatabases.CreateAsync("api");
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseTestServers(DatabaseConnectionString);
        foreach (var (key, value) in settings)
            builder.UseSetting(key, value);
    }

    public new async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (!sharesDatabase)
            await TestDatabases.DropAsync(DatabaseConnectionString);
    }
}
