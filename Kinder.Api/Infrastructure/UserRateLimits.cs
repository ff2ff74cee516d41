using Kinder.Core.Identity;
using Kinder.Core.RateLimiting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Kinder.Api.Infrastructure;

/// <summary>
/// Section <c>Api:UserRateLimits</c>: per-user budgets for the costliest reads, so one account cannot scrape the
/// events or hammer the export. Generous for people (and the benchmarks' clients, a few requests a second each).
/// </summary>
public sealed class UserRateLimitOptions
{
    public const string SectionName = "Api:UserRateLimits";

    /// <summary><c>GET /events/discover</c>, every page.</summary>
    public RateLimitRule Discover { get; set; } = new(600, TimeSpan.FromMinutes(1));

    /// <summary><c>GET /events/search</c>, every page.</summary>
    public RateLimitRule Search { get; set; } = new(600, TimeSpan.FromMinutes(1));

    /// <summary><c>GET /users/me/export</c>: it reads every feature's data about the caller.</summary>
    public RateLimitRule Export { get; set; } = new(10, TimeSpan.FromHours(1));

    public bool IsValid => Discover.IsValid && Search.IsValid && Export.IsValid;
}

public static class UserRateLimits
{
    public static IServiceCollection AddUserRateLimits(this IServiceCollection services)
    {
        services.AddOptions<UserRateLimitOptions>()
            .BindConfiguration(UserRateLimitOptions.SectionName)
            .Validate(options => options.IsValid, "Api:UserRateLimits: every PermitLimit and Window must be positive.")
            .ValidateOnStart();
        services.TryAddSingleton<RedisRateLimiter>();
        return services;
    }

    /// <summary>
    /// Counts each call against the caller's budget <paramref name="rule"/> in Redis (every Api instance spends the
    /// same one); past it, <c>429 RATE_LIMITED</c> with <c>Retry-After</c>. For endpoints that require sign-in.
    /// </summary>
    public static RouteHandlerBuilder RequireUserRateLimit(this RouteHandlerBuilder builder, string limit,
        Func<UserRateLimitOptions, RateLimitRule> rule) =>
        builder.RequireUserRateLimit<UserRateLimitOptions>(limit, rule);

    /// <summary>The same, with the rule read from the feature's own options.</summary>
    public static RouteHandlerBuilder RequireUserRateLimit<TOptions>(this RouteHandlerBuilder builder, string limit,
        Func<TOptions, RateLimitRule> rule) where TOptions : class =>
        builder.AddEndpointFilter(async (context, next) =>
            {
                var httpContext = context.HttpContext;
                var services = httpContext.RequestServices;
                var options = services.GetRequiredService<IOptions<TOptions>>().Value;
                var decision = await services.GetRequiredService<RedisRateLimiter>()
                    .HitAsync(limit, httpContext.User.GetUserId().ToString(), rule(options));
                return decision.IsAllowed ? await next(context) : Problems.TooManyRequests(httpContext, decision);
            })
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
}
