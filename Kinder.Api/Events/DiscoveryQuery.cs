using Kinder.Core.Data;
using Kinder.Core.Events;
using Kinder.Core.Interests;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;

namespace Kinder.Api.Events;

/// <summary>How the feed is ordered: <c>relevance</c> (the personalised score), <c>date</c>, <c>popularity</c>, <c>distance</c>.</summary>
public enum DiscoverySort
{
    Relevance,
    Date,
    Popularity,
    Distance,
}

/// <summary>
/// The candidates of a feed, read in SQL, and what discovery knows of the user's history.
/// </summary>
/// <remarks>
/// The database filters and caps; C# scores. Filtering (published, public, not started, within the radius, not the
/// user's own, not answered <c>not_going</c>, not a blocked organizer) and a cap of
/// <see cref="DiscoveryOptions.CandidateLimit"/> rows in the sort's own order (soonest for relevance and date, nearest
/// for distance, most going for popularity) keep the rows read small and bounded: the partial GiST index
/// <c>ix_events_discovery</c> answers the radius together with a start window or a popularity floor, tried narrow
/// first (<see cref="StartWindows"/>, <see cref="PopularityFloors"/>), so a dense city with tens of thousands of
/// upcoming events in reach reads a few hundred rows, not all of them (bench/results/plans.md); the score's terms
/// (availability slots, log-scaled popularity, exponential decays, reasons in words) are plain C# over those few hundred
/// rows, testable and readable, rather than a long SQL expression that would still have to be explained in C#.
/// Full events stay (every event has a waitlist today) and are marked in the reasons.
/// </remarks>
public static class DiscoveryQuery
{
    /// <summary>
    /// The windows of start times tried, in turn, for the date-ordered sorts (relevance, date): the soonest
    /// <c>limit</c> candidates are the same whichever window first holds that many, so a dense city reads the next
    /// few days' events rather than every upcoming one, and a sparse place widens until it has enough or none is left.
    /// </summary>
    public static readonly IReadOnlyList<TimeSpan?> StartWindows = [TimeSpan.FromDays(3), TimeSpan.FromDays(21), null];

    /// <summary>
    /// The same for most popular first: the <c>limit</c> most-going candidates are the same whichever "at least k going"
    /// first holds that many (going_count is in the index, so the rest are never read from the table).
    /// </summary>
    public static readonly IReadOnlyList<int> PopularityFloors = [20, 5, 0];

    public static async Task<List<DiscoveryCandidate>> CandidatesAsync(KinderDbContext db, Guid userId, Point? from,
        double radiusKm, DiscoverySort sort, IReadOnlyCollection<Guid> blockedOrganizerIds, DateTimeOffset now,
        int limit, CancellationToken cancellationToken)
    {
        List<CandidateRow> rows = [];
        var nearestFirst = sort == DiscoverySort.Distance && from is not null;
        var windowed = sort is DiscoverySort.Relevance or DiscoverySort.Date
            || (sort == DiscoverySort.Distance && from is null);
        // Each step narrows the query to a prefix of the sort order; the last step is the whole of it.
        IReadOnlyList<(TimeSpan? Window, int Floor)> steps = windowed
            ? StartWindows.Select(window => (window, 0)).ToList()
            : sort == DiscoverySort.Popularity
                ? PopularityFloors.Select(floor => ((TimeSpan?)null, floor)).ToList()
                : [(null, 0)];
        foreach (var (window, floor) in steps)
        {
            rows = await CandidateQuery(db, userId, from, radiusKm, sort, blockedOrganizerIds, now,
                    window is { } days ? now + days : null, floor)
                .Take(limit)
                .Select(e => new CandidateRow(e.Id, e.CategoryId, e.StartsAt, e.GoingCount, e.Capacity,
                    from == null ? null : e.Location.Distance(from)))
                .ToListAsync(cancellationToken);
            if (nearestFirst)
            {
                // The nearest `limit` by KNN, then the radius: those beyond it are the farthest, so this is exactly the
                // nearest `limit` within the radius (ST_Distance is what ST_DWithin measures).
                var meters = radiusKm * 1000;
                rows = rows.Where(row => row.Meters <= meters).ToList();
                break;
            }
            // Fewer than asked for: the window held them all, so look further ahead (the last window is unbounded).
            if (rows.Count >= limit)
            {
                break;
            }
        }
        return rows.Select(row => new DiscoveryCandidate(row.Id, row.CategoryId,
                InterestNames.TryGetValue(row.CategoryId, out var name) ? name : "",
                row.StartsAt, row.GoingCount, row.Capacity is { } capacity && row.GoingCount >= capacity,
                row.Meters is { } m ? Math.Round(m / 1000, 2) : null))
            .ToList();
    }

    /// <summary>
    /// Filtering: published, public, not started (before <paramref name="until"/> when given, with at least
    /// <paramref name="minimumGoing"/> going when above 0), within the radius
    /// (<c>ST_DWithin</c>), not the user's own, not answered <c>not_going</c> (one hashed subplan over the user's own
    /// answers, not a probe per event), not a blocked organizer. The first three match the partial GiST index
    /// <c>ix_events_discovery</c> on (location, starts_at, going_count), so the radius, the start window and the
    /// popularity floor are one index condition.
    /// Nearest first uses the index's KNN order (<c>&lt;-&gt;</c>), which stops after <c>limit</c> rows, and the radius
    /// is applied to those.
    /// </summary>
    private static IQueryable<Event> CandidateQuery(KinderDbContext db, Guid userId, Point? from, double radiusKm,
        DiscoverySort sort, IReadOnlyCollection<Guid> blockedOrganizerIds, DateTimeOffset now, DateTimeOffset? until,
        int minimumGoing)
    {
        var declined = db.EventAttendances
            .Where(a => a.UserId == userId && a.Status == AttendanceStatus.NotGoing)
            .Select(a => a.EventId);
        var candidates = db.Events.AsNoTracking().Where(e =>
            e.Status == EventStatus.Published
            && e.Visibility == EventVisibility.Public
            && e.StartsAt > now
            && e.OrganizerId != userId
            && !declined.Contains(e.Id));
        if (blockedOrganizerIds.Count > 0)
        {
            candidates = candidates.Where(e => !blockedOrganizerIds.Contains(e.OrganizerId));
        }
        if (until is { } end)
        {
            candidates = candidates.Where(e => e.StartsAt <= end);
        }
        if (minimumGoing > 0)
        {
            candidates = candidates.Where(e => e.GoingCount >= minimumGoing);
        }
        // Nearest first leaves the radius to the caller: with ST_DWithin in the query the planner misjudges how few
        // rows the radius keeps and reads them all rather than walking the index in KNN order.
        if (from is not null && sort != DiscoverySort.Distance)
        {
            var meters = radiusKm * 1000;
            candidates = candidates.Where(e => e.Location.IsWithinDistance(from, meters));
        }
        return sort switch
        {
            DiscoverySort.Distance when from is not null =>
                candidates.OrderBy(e => EF.Functions.DistanceKnn(e.Location, from)),
            DiscoverySort.Popularity => candidates.OrderByDescending(e => e.GoingCount).ThenBy(e => e.StartsAt),
            _ => candidates.OrderBy(e => e.StartsAt).ThenBy(e => e.Id),
        };
    }

    private sealed record CandidateRow(Guid Id, int CategoryId, DateTimeOffset StartsAt, int GoingCount, int? Capacity,
        double? Meters);

    /// <summary>Category names by id: the seeded catalog (migration <c>HasData</c>), so no query per feed.</summary>
    private static readonly IReadOnlyDictionary<int, string> InterestNames =
        InterestCatalog.All.ToDictionary(interest => interest.Id, interest => interest.Name);

    /// <summary>Per category, how many events the user went to that have started (attendance history).</summary>
    public static Task<Dictionary<int, int>> PastEventsByCategoryAsync(KinderDbContext db, Guid userId,
        DateTimeOffset now, CancellationToken cancellationToken) =>
        db.EventAttendances.AsNoTracking()
            .Where(a => a.UserId == userId && a.Status == AttendanceStatus.Going)
            .Join(db.Events.Where(e => e.StartsAt <= now && e.Status == EventStatus.Published),
                a => a.EventId, e => e.Id, (a, e) => e.CategoryId)
            .GroupBy(categoryId => categoryId)
            .Select(group => new { CategoryId = group.Key, Count = group.Count() })
            .ToDictionaryAsync(row => row.CategoryId, row => row.Count, cancellationToken);
}
