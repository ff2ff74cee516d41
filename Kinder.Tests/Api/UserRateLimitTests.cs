using System.Net;
using Kinder.Core;
using Kinder.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace Kinder.Tests.Api;

/// <summary>An Api whose per-user budgets for discover, search and export are two calls a minute each.</summary>
public sealed class TightUserRateLimitsApiFactory : ApiFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        foreach (var limit in new[] { "Discover", "Search", "Export" })
        {
            builder.UseSetting($"Api:UserRateLimits:{limit}:PermitLimit", "2");
            builder.UseSetting($"Api:UserRateLimits:{limit}:Window", "00:01:00");
        }
    }
}

/// <summary>Discover, search and the personal-data export are throttled per user.</summary>
public sealed class UserRateLimitTests(TightUserRateLimitsApiFactory api) : IClassFixture<TightUserRateLimitsApiFactory>
{
    [Theory]
    [InlineData("/api/v1/events/discover?latitude=52.52&longitude=13.405")]
    [InlineData("/api/v1/events/search?q=hike")]
    [InlineData("/api/v1/users/me/export")]
    public async Task Past_the_per_user_limit_is_429_with_Retry_After_and_others_are_not_affected(string path)
    {
        var user = await api.CreateUserAsync();
        var other = await api.CreateUserAsync();
        var client = api.CreateClientFor(user);

        var first = await client.GetAsync(path);
        var second = await client.GetAsync(path);
        var third = await client.GetAsync(path);
        var someoneElse = await api.CreateClientFor(other).GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        await third.AssertProblemAsync(HttpStatusCode.TooManyRequests, ErrorCodes.RateLimited);
        Assert.NotNull(third.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.OK, someoneElse.StatusCode);
    }
}
