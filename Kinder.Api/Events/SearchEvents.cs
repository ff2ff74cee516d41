using System.Security.Claims;
using Kinder.Api.Infrastructure;
using Kinder.Core.Data;
using Kinder.Core.Identity;
using Kinder.Core.Storage;
using NetTopologySuite.Geometries;

namespace Kinder.Api.Events;

/// <summary>Runs a validated search and reads the page's events for the caller.</summary>
public sealed class SearchEvents(KinderDbContext db, ObjectStorage storage, TimeProvider time)
{
    public async Task<EventPage> HandleAsync(EventSearchRequest request, ClaimsPrincipal principal,
        CancellationToken cancellationToken)
    {
        var order = request.Order()!.Value;
        var pageSize = Paging.PageSize(request.Limit);
        var criteria = new EventSearchCriteria(request.Text(), request.CategoryId, request.From, request.To,
            request.Latitude, request.Longitude, request.RadiusKm, request.MaxPriceMinor, request.Free == true, order,
            request.After(), pageSize);
        var viewerId = principal.GetUserId();
        var hits = await EventSearchQuery.RunAsync(db, criteria, viewerId, time.GetUtcNow(), pageSize + 1,
            cancellationToken);
        var page = hits.Take(pageSize).ToList();
        var point = request.HasPoint() ? new Point(request.Longitude!.Value, request.Latitude!.Value) { SRID = 4326 } : null;
        var items = await db.ReadManyAsync(storage, page.Select(hit => hit.Id).ToList(), viewerId, point,
            cancellationToken);
        var nextCursor = hits.Count > pageSize ? EventSearchCursor.Encode(order, page[^1]) : null;
        return new EventPage(items, nextCursor);
    }
}
