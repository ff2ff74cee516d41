using Kinder.Core.Data;
using Kinder.Core.Events;
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
/// The database filters and caps; C# scores. Filtering (published, public, not started, within the radius with
/// <c>ST_DWithin</c> on the GiST index, not the user's own, not answered <c>not_going</c>, not a blocked organizer)
/// and a cap of <see cref="DiscoveryOptions.CandidateLimit"/> rows in the sort's own order (soonest for relevance and
/// date, nearest for distance, most going for popularity) keep the rows read small and bounded; the score's terms
/// (availability slots, log-scaled popularity, exponential decays, reasons in words) are plain C# over those few hundred
/// rows, testable and readable, rather than a long SQL expression that would still have to be explained in C#.
/// Full events stay (every event has a waitlist today) and are marked in the reasons.
/// </remarks>
public static class DiscoveryQuery
{
    public static async Task<List<DiscoveryCandidate>> CandidatesAsync(KinderDbContext db, Guid userId, Point? from,
        double radiusKm, DiscoverySort sort, IReadOnlyCollection<Guid> blockedOrganizerIds, DateTimeOffset now,
        int limit, CancellationToken cancellationToken)
    {
        var candidates = db.Events.AsNoTracking().Where(e =>
            e.Status == EventStatus.Published
            && e.Visibility == EventVisibility.Public
            && e.StartsAt > now
            && e.OrganizerId != userId
            && !blockedOrganizerIds.Contains(e.OrganizerId)
            && !db.EventAttendances.Any(a => a.EventId == e.Id && a.UserId == userId
                && a.Status == AttendanceStatus.NotGoing));
        if (from is not null)
        {
            var meters = radiusKm * 1000;
            candidates = candidates.Where(e => e.Location.IsWithinDistance(from, meters));
        }
        candidates = sort switch
        {
            DiscoverySort.Distance when from is not null =>
                candidates.OrderBy(e => e.Location.Distance(from)).ThenBy(e => e.Id),
            DiscoverySort.Popularity => candidates.OrderByDescending(e => e.GoingCount).ThenBy(e => e.StartsAt),
            _ => candidates.OrderBy(e => e.StartsAt).ThenBy(e => e.Id),
        };
        var rows = await candidates.Take(limit)
            .Select(e => new
            {
                e.Id,
                e.CategoryId,
                e.StartsAt,
                e.GoingCount,
                e.Capacity,
                Meters = from == null ? (double?)null : e.Location.Distance(from),
            })
            .ToListAsync(cancellationToken);
        var categoryNames = await db.Interests.AsNoTracking().ToDictionaryAsync(i => i.Id, i => i.Name, cancellationToken);
        return rows.Select(row => new DiscoveryCandidate(row.Id, row.CategoryId, categoryNames[row.CategoryId],
                row.StartsAt, row.GoingCount, row.Capacity is { } capacity && row.GoingCount >= capacity,
                row.Meters is { } m ? Math.Round(m / 1000, 2) : null))
            .ToList();
    }

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
