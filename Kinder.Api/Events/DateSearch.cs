using NpgsqlTypes;

namespace Kinder.Api.Events;

/// <summary>
/// Soonest first. The public part is read in windows of start times (from the cursor's start, or now) tried in turn:
/// the first page of public events is the same whichever window first holds that many, so a dense city reads a day's
/// events rather than every upcoming one (the partial GiST index <c>ix_events_discovery</c> answers the radius and the
/// window together), and a sparse place or a narrow filter widens until the last, unbounded, window.
/// </summary>
public static class DateSearch
{
    public static readonly IReadOnlyList<TimeSpan?> StartWindows = [TimeSpan.FromDays(1), TimeSpan.FromDays(7), null];

    public static async Task<List<EventSearchHit>> RunAsync(EventSearchSession session, EventSearchFilter filter,
        CancellationToken cancellationToken)
    {
        var keyset = "";
        if (filter.Criteria.After is { } after)
        {
            filter.Add("after_id", NpgsqlDbType.Uuid, after.Id);
            filter.Add("after_time", NpgsqlDbType.TimestampTz, after.StartsAt!.Value.UtcDateTime);
            // The bound alone as well, which the index can use.
            keyset = " AND e.starts_at >= @after_time AND (e.starts_at, e.id) > (@after_time, @after_id)";
        }
        var search = await OrderedSearch.StartAsync(session, filter, EventSearchSort.Date, "e.starts_at",
            descending: false, keyset, cancellationToken);
        // With text the matches (GIN) are few enough to read whole, in one step.
        return await search.ReadAsync(filter.HasText ? [EventSearchStep.Whole] : Windows(filter),
            radiusInSteps: false, cancellationToken);
    }

    private static IEnumerable<EventSearchStep> Windows(EventSearchFilter filter)
    {
        // Windows start where the first public event can (none starts after `until` and before this).
        var now = filter.Now;
        var start = new[] { now, filter.Criteria.After?.StartsAt ?? now, filter.Criteria.From ?? now }.Max();
        foreach (var window in StartWindows)
        {
            yield return window is { } days
                ? new EventSearchStep(" AND e.starts_at <= @until",
                    new("until", NpgsqlDbType.TimestampTz) { Value = (start + days).UtcDateTime }, false)
                : EventSearchStep.Whole;
        }
    }
}
