using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Kinder.Core;
using Kinder.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace Kinder.Tests.Api;

/// <summary>The Api with a probe limit small enough to reach.</summary>
public sealed class ProbeLimitApiFactory : ApiFactory
{
    public const int Limit = 3;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Diagnostics:ProbeRateLimit:PermitLimit", Limit.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Diagnostics:ProbeRateLimit:Window", "00:10:00");
    }
}

/// <summary>Probes are for operators: admins only, a few at a time (what reaches whom is in Realtime's ProbeDeliveryTests).</summary>
public sealed class ProbeAccessTests(ProbeLimitApiFactory api) : IClassFixture<ProbeLimitApiFactory>
{
    [Fact]
    public async Task An_anonymous_probe_is_a_401()
    {
        using var client = api.CreateClient();

        await (await client.PostAsJsonAsync("/api/v1/diagnostics/probes", new { message = "hello everyone" }))
            .AssertProblemAsync(HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
        await (await client.GetAsync($"/api/v1/diagnostics/probes/{Guid.NewGuid()}"))
            .AssertProblemAsync(HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
    }

    [Fact]
    public async Task A_probe_from_a_user_who_is_not_an_admin_is_a_403()
    {
        using var client = ClientWith(TestTokens.ForNewUser().Token);

        await (await client.PostAsJsonAsync("/api/v1/diagnostics/probes", new { message = "hello everyone" }))
            .AssertProblemAsync(HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
    }

    [Fact]
    public async Task An_admin_records_a_probe_and_reads_it_back()
    {
        using var client = ClientWith((await TestTokens.ForNewAdminAsync(api.DatabaseConnectionString)).Token);

        var created = await client.PostAsJsonAsync("/api/v1/diagnostics/probes", new { message = "is the path up?" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var read = await client.GetAsync(created.Headers.Location);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
    }

    [Fact]
    public async Task An_admin_past_the_probe_limit_gets_a_429_with_retry_after()
    {
        using var client = ClientWith((await TestTokens.ForNewAdminAsync(api.DatabaseConnectionString)).Token);
        for (var i = 0; i < ProbeLimitApiFactory.Limit; i++)
            Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/v1/diagnostics/probes", new { message = $"probe {i}" })).StatusCode);

        var refused = await client.PostAsJsonAsync("/api/v1/diagnostics/probes", new { message = "one too many" });

        await refused.AssertProblemAsync(HttpStatusCode.TooManyRequests, ErrorCodes.RateLimited);
        Assert.NotNull(refused.Headers.RetryAfter);
        // Another admin has a budget of their own.
        using var other = ClientWith((await TestTokens.ForNewAdminAsync(api.DatabaseConnectionString)).Token);
        Assert.Equal(HttpStatusCode.Created, (await other.PostAsJsonAsync("/api/v1/diagnostics/probes", new { message = "mine" })).StatusCode);
    }

    private HttpClient ClientWith(string token)
    {
        var client = api.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
