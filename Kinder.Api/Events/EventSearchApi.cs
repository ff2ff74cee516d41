using System.Security.Claims;
using Kinder.Api.Infrastructure;
using Kinder.Core.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using NetTopologySuite.Geometries;

namespace Kinder.Api.Events;

/// <summary>A page of events: API.md's list shape.</summary>
public sealed record EventPage(IReadOnlyList<EventResponse> Items, string? NextCursor);

/// <summary>
/// API.md, <c>GET /events/search</c>: full text with typo tolerance, filters, four sorts, keyset cursors.
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
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        return app;
    }

    public static async Task<Results<Ok<EventPage>, ValidationProblem>> SearchEvents(string? q, int? categoryId,
        DateTimeOffset? from, DateTimeOffset? to, double? latitude, double? longitude, double? radiusKm,
        long? maxPriceMinor, bool? free, string? sort, int? limit, string? cursor, ClaimsPrincipal principal,
        EventServices services, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var text = string.IsNullOrWhiteSpace(q) ? null : q.Trim();
        if (text is not null && (text.Length > MaxQueryLength || EventSearchQuery.ToPrefixQuery(text).Length == 0))
        {
            errors.Add("q", $"Give up to {MaxQueryLength} characters with at least one letter or digit.");
        }
        if (from is not null && to is not null && to < from)
        {
            errors.Add("to", "The end of the date range is before its start.");
        }
        var hasPoint = latitude is not null || longitude is not null;
        if (hasPoint && latitude is not (>= -90 and <= 90))
        {
            errors.Add("latitude", "Give a latitude between -90 and 90 together with the longitude.");
        }
        if (hasPoint && longitude is not (>= -180 and <= 180))
        {
            errors.Add("longitude", "Give a longitude between -180 and 180 together with the latitude.");
        }
        if (radiusKm is not null && (radiusKm is not (> 0 and <= MaxRadiusKm) || !hasPoint))
        {
            errors.Add("radiusKm", $"Give a radius above 0 and up to {MaxRadiusKm} km, with latitude and longitude.");
        }
        if (maxPriceMinor is < 0)
        {
            errors.Add("maxPriceMinor", "The price is 0 or more, in minor units.");
        }
        EventSearchSort? order = (sort ?? (text is null ? "date" : "relevance")) switch
        {
            "relevance" => EventSearchSort.Relevance,
            "date" => EventSearchSort.Date,
            "popularity" => EventSearchSort.Popularity,
            "distance" => EventSearchSort.Distance,
            _ => null,
        };
        if (order is null)
        {
            errors.Add("sort", "Use relevance, date, popularity or distance.");
        }
        else if (order == EventSearchSort.Relevance && text is null)
        {
            errors.Add("sort", "Sorting by relevance needs a query (q).");
        }
        else if (order == EventSearchSort.Distance && !hasPoint)
        {
            errors.Add("sort", "Sorting by distance needs latitude and longitude.");
        }
        var pageSize = errors.PageSize(limit);
        EventSearchCursor? after = null;
        if (cursor is not null && order is not null && (after = EventSearchCursor.Decode(cursor, order.Value)) is null)
        {
            errors.Add("cursor", "Not a cursor this search gave out.");
        }
        if (!errors.IsEmpty)
        {
            return Problems.Validation(errors.ToDictionary());
        }

        var criteria = new EventSearchCriteria(text, categoryId, from, to, latitude, longitude, radiusKm, maxPriceMinor,
            free == true, order!.Value, after, pageSize);
        var viewerId = principal.GetUserId();
        var hits = await EventSearchQuery.RunAsync(services.Db, criteria, viewerId, services.Time.GetUtcNow(),
            pageSize + 1, cancellationToken);
        var page = hits.Take(pageSize).ToList();
        var point = hasPoint ? new Point(longitude!.Value, latitude!.Value) { SRID = 4326 } : null;
        var items = await services.Db.ReadManyAsync(services.Storage, page.Select(hit => hit.Id).ToList(), viewerId,
            point, cancellationToken);
        var nextCursor = hits.Count > pageSize ? EventSearchCursor.Encode(order.Value, page[^1]) : null;
        return TypedResults.Ok(new EventPage(items, nextCursor));
    }
}
