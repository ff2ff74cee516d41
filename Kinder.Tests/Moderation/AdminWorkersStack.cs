using Kinder.Tests.Infrastructure;
using Kinder.Tests.Notifications;
using Kinder.Workers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Kinder.Tests.Moderation;

/// <summary>
/// The Api and Workers on one database, Workers on a <see cref="TestClock"/> the tests move forward; the periodic
/// services' own passes are an hour apart, so a test runs the pass it needs itself (<see cref="Periodic{T}"/>).
/// </summary>
public sealed class AdminWorkersStack : IAsyncLifetime
{
    public ApiFactory Api { get; } = new();

    public TestClock Clock { get; } = new();

    private WorkersOnApiDatabase? workers;

    public async Task InitializeAsync()
    {
        await Api.InitializeAsync();
        _ = Api.Server;
        workers = new WorkersOnApiDatabase(this);
        _ = workers.Server;
    }

    public async Task DisposeAsync()
    {
        if (workers is not null)
        {
            await workers.DisposeAsync();
        }
        await Api.DisposeAsync();
    }

    /// <summary>Workers' instance of a periodic service, to run a pass now.</summary>
    public T Periodic<T>() where T : IHostedService =>
        workers!.Services.GetServices<IHostedService>().OfType<T>().Single();

    private sealed class WorkersOnApiDatabase(AdminWorkersStack stack) : WebApplicationFactory<WorkersAssembly>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseTestServers(stack.Api.DatabaseConnectionString);
            builder.UseSetting("Moderation:SuspensionSweepInterval", "01:00:00");
            builder.UseSetting("Analytics:RollupInterval", "01:00:00");
            builder.UseSetting("Analytics:RefreshDays", "14");
            builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(stack.Clock));
        }
    }
}
