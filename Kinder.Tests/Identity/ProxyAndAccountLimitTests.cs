using System.Net;
using System.Net.Http.Json;
using Kinder.Api.Identity;
using Kinder.Core;
using Kinder.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Kinder.Tests.Identity;

/// <summary>
/// The Api behind one configured proxy (<see cref="Proxy"/>), with small limits: two forgot-password requests per
/// client address, three failed sign-ins per address across accounts, and per account three free failures, then
/// delays from a minute doubling up to four (far longer than a request on a busy machine; tests end a delay by
/// expiring it, as time would).
/// </summary>
public sealed class ProxiedApiFactory : ApiFactory
{
    public static readonly IPAddress Proxy = IPAddress.Parse("10.250.0.1");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("ForwardedHeaders:KnownProxies:0", Proxy.ToString());
        builder.UseSetting("Auth:RateLimits:ForgotPasswords:PermitLimit", "2");
        builder.UseSetting("Auth:RateLimits:FailedLoginsPerAddress:PermitLimit", "3");
        builder.UseSetting("Auth:LoginThrottle:FreeFailures", "3");
        builder.UseSetting("Auth:LoginThrottle:FirstDelay", "00:01:00");
        builder.UseSetting("Auth:LoginThrottle:MaxDelay", "00:04:00");
        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter, ClientAddressStartupFilter>());
    }

    /// <summary>A client whose requests reach the Api from <paramref name="socket"/>, saying they are for <paramref name="forwardedFor"/>.</summary>
    public HttpClient CreateClient(IPAddress socket, string? forwardedFor)
    {
        var client = ClientAddressStartupFilter.ClientOf(CreateClient(), socket);
        if (forwardedFor is not null)
        {
            client.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
        }
        return client;
    }
}

/// <summary>Limits behind a proxy, and per-account throttling of sign-ins (docs/api/README.md, Auth).</summary>
public sealed class ProxyAndAccountLimitTests(ProxiedApiFactory api) : IClassFixture<ProxiedApiFactory>
{
    private static string NewPublicAddress() => ClientAddressStartupFilter.NewAddress(198).ToString();

    private static Task<HttpResponseMessage> ForgotAsync(HttpClient client) =>
        client.PostAsJsonAsync("/api/v1/auth/forgot-password", new { email = Accounts.NewEmail() });

    [Fact]
    public async Task Behind_a_configured_proxy_two_clients_are_limited_separately()
    {
        var first = api.CreateClient(ProxiedApiFactory.Proxy, NewPublicAddress());
        var second = api.CreateClient(ProxiedApiFactory.Proxy, NewPublicAddress());
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await ForgotAsync(first)).StatusCode);
        }
        await (await ForgotAsync(first)).AssertProblemAsync(HttpStatusCode.TooManyRequests, ErrorCodes.RateLimited);

        Assert.Equal(HttpStatusCode.Accepted, (await ForgotAsync(second)).StatusCode);
    }

    [Fact]
    public async Task X_Forwarded_For_from_an_address_that_is_not_a_configured_proxy_is_ignored()
    {
        var socket = ClientAddressStartupFilter.NewAddress();
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await ForgotAsync(api.CreateClient(socket, NewPublicAddress()))).StatusCode);
        }

        var response = await ForgotAsync(api.CreateClient(socket, NewPublicAddress()));

        await response.AssertProblemAsync(HttpStatusCode.TooManyRequests, ErrorCodes.RateLimited);
    }

    [Fact]
    public async Task Failures_from_many_addresses_throttle_the_account_with_growing_delays_until_a_success()
    {
        var email = Accounts.NewEmail();
        await api.CreateClient(ClientAddressStartupFilter.NewAddress(), null).RegisterAsync(email);
        HttpClient FromNewAddress() => api.CreateClient(ProxiedApiFactory.Proxy, NewPublicAddress());
        for (var attempt = 0; attempt < 3; attempt++)
        {
            await (await FromNewAddress().PostLoginAsync(email.ToUpperInvariant(), Accounts.OtherPassword))
                .AssertProblemAsync(HttpStatusCode.Unauthorized, ErrorCodes.InvalidCredentials);
        }

        // Even the right password, from yet another address: the account waits first.
        var throttled = await FromNewAddress().PostLoginAsync(email);
        await throttled.AssertProblemAsync(HttpStatusCode.TooManyRequests, ErrorCodes.RateLimited);
        Assert.InRange(throttled.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(1));

        // Once the delay has passed, one more failure is let through, and the next delay is twice as long.
        await DelayPassesAsync(email);
        await (await FromNewAddress().PostLoginAsync(email, Accounts.OtherPassword))
            .AssertProblemAsync(HttpStatusCode.Unauthorized, ErrorCodes.InvalidCredentials);
        var longer = await FromNewAddress().PostLoginAsync(email, Accounts.OtherPassword);
        await longer.AssertProblemAsync(HttpStatusCode.TooManyRequests, ErrorCodes.RateLimited);
        Assert.InRange(longer.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromSeconds(90), TimeSpan.FromMinutes(2));

        // A success forgives the failures: the next wrong password is a plain 401 again.
        await DelayPassesAsync(email);
        Assert.Equal(HttpStatusCode.OK, (await FromNewAddress().PostLoginAsync(email)).StatusCode);
        await (await FromNewAddress().PostLoginAsync(email, Accounts.OtherPassword))
            .AssertProblemAsync(HttpStatusCode.Unauthorized, ErrorCodes.InvalidCredentials);
    }

    [Fact]
    public async Task The_delay_is_capped()
    {
        var email = Accounts.NewEmail();
        for (var failure = 0; failure < 8; failure++)
        {
            await DelayPassesAsync(email);
            await api.CreateClient(ProxiedApiFactory.Proxy, NewPublicAddress()).PostLoginAsync(email, Accounts.OtherPassword);
        }

        var response = await api.CreateClient(ProxiedApiFactory.Proxy, NewPublicAddress()).PostLoginAsync(email);

        await response.AssertProblemAsync(HttpStatusCode.TooManyRequests, ErrorCodes.RateLimited);
        Assert.InRange(response.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromMinutes(3), TimeSpan.FromMinutes(4));
    }

    /// <summary>Ends the account's current delay, as its expiry would.</summary>
    private Task DelayPassesAsync(string email) =>
        api.Services.GetRequiredService<IConnectionMultiplexer>().GetDatabase().KeyDeleteAsync(LoginThrottle.WaitKey(email));

    [Fact]
    public async Task One_address_trying_many_accounts_is_throttled()
    {
        var sprayer = api.CreateClient(ProxiedApiFactory.Proxy, NewPublicAddress());
        for (var attempt = 0; attempt < 3; attempt++)
        {
            await (await sprayer.PostLoginAsync(Accounts.NewEmail(), Accounts.OtherPassword))
                .AssertProblemAsync(HttpStatusCode.Unauthorized, ErrorCodes.InvalidCredentials);
        }

        var response = await sprayer.PostLoginAsync(Accounts.NewEmail(), Accounts.OtherPassword);

        await response.AssertProblemAsync(HttpStatusCode.TooManyRequests, ErrorCodes.RateLimited);
        Assert.NotNull(response.Headers.RetryAfter?.Delta);
    }
}
