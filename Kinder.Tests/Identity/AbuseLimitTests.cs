using System.Net;
using System.Net.Http.Json;
using Kinder.Api;
using Kinder.Core;
using Kinder.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Kinder.Tests.Identity;

/// <summary>The Api with small per-address limits and a client address of its own, so no other test counts against them.</summary>
public sealed class LimitedApiFactory : ApiFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Auth:RateLimits:Registrations:PermitLimit", "2");
        builder.UseSetting("Auth:RateLimits:ForgotPasswords:PermitLimit", "2");
        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter, ClientAddressStartupFilter>());
    }

    public HttpClient CreateClient(IPAddress address) => ClientAddressStartupFilter.ClientOf(CreateClient(), address);
}

/// <summary>A second Api instance on the first one's database, sharing the run's Redis: what a scaled-out Api looks like.</summary>
internal sealed class SecondApiInstance(string databaseConnectionString) : WebApplicationFactory<ApiAssembly>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseTestServers(databaseConnectionString);
        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter, ClientAddressStartupFilter>());
    }

    public HttpClient CreateClient(IPAddress address) => ClientAddressStartupFilter.ClientOf(CreateClient(), address);
}

/// <summary>Abuse limits (issue 3): enforced in Redis, so they hold across instances; 429 RATE_LIMITED with Retry-After.</summary>
public sealed class AbuseLimitTests(LimitedApiFactory api) : IClassFixture<LimitedApiFactory>
{
    [Fact]
    public async Task The_sixth_bad_login_within_15_minutes_is_429_from_either_of_two_api_instances()
    {
        await using var second = new SecondApiInstance(api.DatabaseConnectionString);
        var address = ClientAddressStartupFilter.NewAddress();
        var first = api.CreateClient(address);
        var other = second.CreateClient(address);
        var email = Accounts.NewEmail();
        await first.RegisterAsync(email);

        for (var attempt = 1; attempt <= 5; attempt++)
        {
            var client = attempt % 2 == 0 ? other : first;
            await (await client.PostLoginAsync(email, Accounts.OtherPassword))
                .AssertProblemAsync(HttpStatusCode.Unauthorized, ErrorCodes.InvalidCredentials);
        }

        foreach (var client in new[] { first, other })
        {
            // Even the right password: the address is locked out of this account until the window ends.
            var response = await client.PostLoginAsync(email);
            await response.AssertProblemAsync(HttpStatusCode.TooManyRequests, ErrorCodes.RateLimited);
            Assert.InRange(response.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromMinutes(14), TimeSpan.FromMinutes(15));
        }
    }

    [Fact]
    public async Task Successful_logins_do_not_count_towards_the_limit()
    {
        var client = api.CreateClient(ClientAddressStartupFilter.NewAddress());
        var email = Accounts.NewEmail();
        await client.RegisterAsync(email);

        for (var attempt = 0; attempt < 4; attempt++)
        {
            await client.PostLoginAsync(email, Accounts.OtherPassword);
        }
        for (var attempt = 0; attempt < 3; attempt++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.PostLoginAsync(email)).StatusCode);
        }
    }

    [Fact]
    public async Task Registrations_past_the_per_address_limit_are_429_with_Retry_After()
    {
        var client = api.CreateClient(ClientAddressStartupFilter.NewAddress());
        await client.RegisterAsync();
        await client.RegisterAsync();

        var response = await client.PostRegisterAsync(Accounts.NewEmail());

        await response.AssertProblemAsync(HttpStatusCode.TooManyRequests, ErrorCodes.RateLimited);
        Assert.InRange(response.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromMinutes(59), TimeSpan.FromHours(1));
    }

    [Fact]
    public async Task Password_reset_requests_past_the_per_address_limit_are_429_with_Retry_After()
    {
        var client = api.CreateClient(ClientAddressStartupFilter.NewAddress());
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(HttpStatusCode.Accepted,
                (await client.PostAsJsonAsync("/api/v1/auth/forgot-password", new { email = Accounts.NewEmail() })).StatusCode);
        }

        var response = await client.PostAsJsonAsync("/api/v1/auth/forgot-password", new { email = Accounts.NewEmail() });

        await response.AssertProblemAsync(HttpStatusCode.TooManyRequests, ErrorCodes.RateLimited);
        Assert.NotNull(response.Headers.RetryAfter?.Delta);
    }
}
