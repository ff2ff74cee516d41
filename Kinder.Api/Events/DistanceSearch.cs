using Npgsql;
using NpgsqlTypes;

namespace Kinder.Api.Events;

/// <summary>
/// Nearest first (needs a point). Without text, the index's KNN order (<c>&lt;-&gt;</c>, distance on the sphere) first
/// reads twice a page of the nearest public events after the cursor and stops; the sort key is ST_Distance on the
/// spheroid, which differs from the sphere's by less than <see cref="SphereMargin"/>, so an event not read (at least as
/// far on the sphere as the last one read) is farther than the page's last when that is nearer than the last read's
/// sphere distance less this share. When it is not (or the radius leaves too few), the page is read exactly from the
/// disc that surely holds it. The radius is not in the KNN scan: with ST_DWithin there the planner misjudges how few
/// rows the radius keeps and reads them all rather than walking the index in KNN order; it is applied to the rows read.
/// </summary>
public static class DistanceSearch
{
    /// <summary>How much the sphere's distance may differ from the spheroid's (about 0.6% at most).</summary>
    public const double SphereMargin = 0.01;

    private const string Key = $"ST_Distance(e.location, {EventSearchFilter.Point})";

    public static async Task<List<EventSearchHit>> RunAsync(EventSearchSession session, EventSearchFilter filter,
        CancellationToken cancellationToken)
    {
        var keyset = "";
        if (filter.Criteria.After is { } after)
        {
            filter.Add("after_id", NpgsqlDbType.Uuid, after.Id);
            filter.Add("after_number", NpgsqlDbType.Double, after.Number!.Value);
            keyset = $" AND ({Key}, e.id) > (@after_number, @after_id)";
        }
        var search = await OrderedSearch.StartAsync(session, filter, EventSearchSort.Distance, Key, descending: false,
            keyset, cancellationToken);
        // With text the matches (GIN) are few enough to read whole, in one step, within the radius if there is one.
        if (filter.HasText)
        {
            return await search.ReadAsync([Radius(filter)], radiusInSteps: true, cancellationToken);
        }

        var take = filter.Take;
        var fetch = take * 2;
        var inside = filter.RadiusMeters is null ? "TRUE" : $"ST_DWithin(e.location, {EventSearchFilter.Point}, @radius_m)";
        var nearest = $"""
            SELECT h.id, h.starts_at, h.sort_key, h.public, h.sphere, h.inside FROM (
                (SELECT e.id, e.starts_at, {Key} AS sort_key, TRUE AS public,
                        e.location <-> {EventSearchFilter.Point} AS sphere, {inside} AS inside
                 FROM events e
                 WHERE {OrderedSearch.PublicEvents}{filter.Conditions}{keyset}
                 ORDER BY e.location <-> {EventSearchFilter.Point}
                 LIMIT @fetch)
                UNION ALL
                {search.Mine}
            ) h
            ORDER BY h.sort_key, h.id
            """;
        var read = await session.ReadAsync(nearest,
            [.. filter.Parameters, new NpgsqlParameter("fetch", NpgsqlDbType.Integer) { Value = fetch }],
            EventSearchSort.Distance, cancellationToken);
        var readPublic = read.Count(row => row.Public);
        var reach = read.Where(row => row.Public).Select(row => row.Sphere).DefaultIfEmpty(0).Max() * (1 - SphereMargin);
        var kept = read.Where(row => row.Inside).ToList();
        var keptPublic = kept.Where(row => row.Public).ToList();
        if (readPublic < fetch
            || (keptPublic.Count >= take && keptPublic[take - 1].Hit.SortNumber < reach)
            || (keptPublic.Count < take && filter.RadiusMeters < reach))
        {
            return kept.Take(take).Select(row => row.Hit).ToList();
        }
        // At least `take` events are this near, so the page is within that disc (when it is inside the radius).
        double? nearestDisc = keptPublic.Count >= take ? keptPublic[take - 1].Hit.SortNumber + 1 : null;
        var step = nearestDisc is { } meters && (filter.RadiusMeters is not { } radius || meters < radius)
            ? EventSearchStep.Disc(meters)
            : Radius(filter);
        return await search.ReadAsync([step], radiusInSteps: true, cancellationToken);
    }

    /// <summary>The whole of the public part within the radius, if there is one.</summary>
    private static EventSearchStep Radius(EventSearchFilter filter) =>
        filter.RadiusMeters is { } meters ? EventSearchStep.Disc(meters) : EventSearchStep.Whole;
}
