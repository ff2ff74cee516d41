using Kinder.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;

namespace Kinder.Tests.Identity.Google;

/// <summary>The Api with Google sign-in pointed at a <see cref="FakeGoogleProvider"/> of its own.</summary>
// IAsyncLifetime again: ApiFactory's DisposeAsync is not virtual, so this re-implementation is what xunit calls.
public sealed class GoogleApiFactory : ApiFactory, IAsyncLifetime
{
    public const string AppRedirectUri = "https://app.kinder.test/auth/google/done";
    public const string MobileRedirectUri = "kinder://auth/google";

    public FakeGoogleProvider Google { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        Google = await FakeGoogleProvider.StartAsync();
        await base.InitializeAsync();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Google:ClientId", FakeGoogleProvider.ClientId);
        builder.UseSetting("Google:ClientSecret", FakeGoogleProvider.ClientSecret);
        builder.UseSetting("Google:AuthorizationEndpoint", Google.AuthorizationEndpoint.ToString());
        builder.UseSetting("Google:TokenEndpoint", Google.TokenEndpoint.ToString());
        builder.UseSetting("Google:DiscoveryUri", Google.DiscoveryUri.ToString());
        builder.UseSetting("Google:AllowedRedirectUris:0", AppRedirectUri);
        builder.UseSetting("Google:AllowedRedirectUris:1", MobileRedirectUri);
        // Lets a test rotate the fake's key and see it fetched at once.
        builder.UseSetting("Google:MinimumKeySetRefreshInterval", "00:00:00");
        // The service defaults' resilience handler stays on (tests see its retries), with delays a test can afford.
        builder.ConfigureTestServices(services => services.ConfigureAll<HttpStandardResilienceOptions>(options =>
        {
            options.Retry.Delay = TimeSpan.FromMilliseconds(10);
            options.Retry.UseJitter = false;
        }));
    }

    public new async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Google.DisposeAsync();
    }
}
