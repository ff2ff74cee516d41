using NpgsqlTypes;

namespace Kinder.Api.Events;

/// <summary>
/// Most going first. The public part is read above "at least k going" floors tried in turn (going_count is in
/// <c>ix_events_discovery</c>), down to the last, unbounded, one.
/// </summary>
public static class PopularitySearch
{
    public static readonly IReadOnlyList<int> PopularityFloors = [20, 5, 0];

    public static async Task<List<EventSearchHit>> RunAsync(EventSearchSession session, EventSearchFilter filter,
        CancellationToken cancellationToken)
    {
        var keyset = "";
        if (filter.Criteria.After is { } after)
        {
            filter.Add("after_id", NpgsqlDbType.Uuid, after.Id);
            filter.Add("after_going", NpgsqlDbType.Integer, (int)after.Number!.Value);
            // The bound alone as well, which the index can use.
            keyset = " AND e.going_count <= @after_going"
                + " AND (e.going_count < @after_going OR (e.going_count = @after_going AND e.id > @after_id))";
        }
        var search = await OrderedSearch.StartAsync(session, filter, EventSearchSort.Popularity, "e.going_count",
            descending: true, keyset, cancellationToken);
        // With text the matches (GIN) are few enough to read whole, in one step.
        return await search.ReadAsync(filter.HasText ? [EventSearchStep.Whole] : Floors(filter),
            radiusInSteps: false, cancellationToken);
    }

    private static IEnumerable<EventSearchStep> Floors(EventSearchFilter filter)
    {
        foreach (var floor in PopularityFloors)
        {
            if (floor == 0)
            {
                yield return EventSearchStep.Whole;
            }
            // A floor above the cursor's going count holds nothing after it.
            else if (filter.Criteria.After?.Number is not { } afterGoing || afterGoing >= floor)
            {
                yield return new EventSearchStep(" AND e.going_count >= @floor",
                    new("floor", NpgsqlDbType.Integer) { Value = floor }, false);
            }
        }
    }
}
