using System.Security.Claims;
using Kinder.Api.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kinder.Api.Events;

/// <summary>One feed item: the <c>event</c> response, its personalised score and why it is there.</summary>
public sealed record DiscoveryItem(EventResponse Event, double Score, IReadOnlyList<string> Reasons);

public sealed record DiscoveryPage(IReadOnlyList<DiscoveryItem> Items, string? NextCursor);

/// <summary><c>GET /events/discover</c>, the personalised feed.</summary>
public static class DiscoveryApi
{
    public static IServiceCollection AddDiscovery(this IServiceCollection services)
    {
        services.AddOptions<DiscoveryOptions>()
            .BindConfiguration(DiscoveryOptions.SectionName)
            .Validate(options => options.IsValid(),
                "Discovery: weights are between 0 and 100; radius, candidate limit, scales and snapshot lifetime are positive.")
            .ValidateOnStart();
        services.AddScoped<IDiscoveryConnections, ChatDiscoveryConnections>();
        services.AddScoped<IBlockedOrganizers, ChatBlockedOrganizers>();
        services.AddSingleton<DiscoverySnapshots>();
        services.AddScoped<DiscoverEvents>();
        return services;
    }

    public static IEndpointRouteBuilder MapDiscoveryApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/events/discover", Discover)
            .RequireAuthorization()
            .WithTags("Events")
            .WithName("DiscoverEvents")
            .WithSummary("The personalised feed: upcoming public events near a point (else the profile location), scored "
                + "by interests, distance, free days, popularity, how soon, past categories, friends going and people you "
                + "talk to; every item says why. sort=relevance|date|popularity|distance; cursor-paged over a ranked snapshot.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .RequireUserRateLimit("discover", limits => limits.Discover);
        return app;
    }

    public static Task<Results<Ok<DiscoveryPage>, ValidationProblem, ProblemHttpResult>> Discover(
        [AsParameters] DiscoveryRequest request, ClaimsPrincipal principal, DiscoverEvents useCase,
        CancellationToken cancellationToken) =>
        useCase.HandleAsync(request, principal, cancellationToken);
}
