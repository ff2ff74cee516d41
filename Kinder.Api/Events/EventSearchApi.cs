using System.Security.Claims;
using Kinder.Api.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kinder.Api.Events;

/// <summary>A page of events in the list shape (docs/api/README.md, Conventions).</summary>
public sealed record EventPage(IReadOnlyList<EventResponse> Items, string? NextCursor);

/// <summary>
/// <c>GET /events/search</c>: full text with typo tolerance, filters, four sorts, keyset cursors.
/// Signed-in callers only, like the rest of /events (but the categories): results carry the caller's own status and
/// include private events they organize or answered, and search is the costliest read, so it is not open to scraping.
/// </summary>
public static class EventSearchApi
{
    public const int MaxQueryLength = 200;
    public const double MaxRadiusKm = 500;

    public static IEndpointRouteBuilder MapEventSearchApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/events").WithTags("Events").RequireAuthorization()
            .MapGet("/search", SearchEvents)
            .WithName("SearchEvents")
            .WithSummary("Search upcoming published events: q matches title above description above place, with typo " +
                "tolerance; filters by category, start date range, price and radius; sort=relevance (the default with q)" +
                "|date (the default without)|popularity|distance (needs latitude and longitude); cursor-paged.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .RequireUserRateLimit("search", limits => limits.Search);
        return app;
    }

    public static async Task<Results<Ok<EventPage>, ValidationProblem>> SearchEvents(
        [AsParameters] EventSearchRequest request, ClaimsPrincipal principal, SearchEvents useCase,
        CancellationToken cancellationToken) =>
        TypedResults.Ok(await useCase.HandleAsync(request, principal, cancellationToken));
}
