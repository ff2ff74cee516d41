using Kinder.Tests.Infrastructure;
using Kinder.Workers.Extensions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Kinder.Tests.Chat;

/// <summary>
/// The Api with the outbox relay Workers run (registered the way Workers registers it), for the tests that read the
/// chat signals from the broker: the Api writes them to its outbox, and no Workers host runs against its database.
/// </summary>
public sealed class RelayingApiFactory : ApiFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.AddOutboxRelay());
    }
}
