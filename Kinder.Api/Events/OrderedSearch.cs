using Kinder.Core.Events;
using Npgsql;
using NpgsqlTypes;

namespace Kinder.Api.Events;

/// <summary>A narrowing step of the public part: a condition (<c>" AND …"</c>), its parameter, and whether it is the last.</summary>
public sealed record EventSearchStep(string Condition, NpgsqlParameter? Parameter, bool Final)
{
    /// <summary>The whole of the public part.</summary>
    public static readonly EventSearchStep Whole = new("", null, true);

    /// <summary>The public events within <paramref name="meters"/> of the search's point.</summary>
    public static EventSearchStep Disc(double meters) =>
        new($" AND ST_DWithin(e.location, {EventSearchFilter.Point}, @step_m)",
            new("step_m", NpgsqlDbType.Double) { Value = meters }, true);
}

/// <summary>
/// What the date, popularity and distance orders share: they read public events and the viewer's own private ones
/// (organized or answered) apart, then merge them in one order. Public events that have not ended started at most
/// <see cref="Event.MaxDuration"/> ago, so the public part matches the partial GiST index <c>ix_events_discovery</c>
/// (location, starts_at, going_count) and is read in narrowing steps that stop after a page rather than reading every
/// match within the radius (tens of thousands in a big city). Keyset pagination on (sort key, id), never OFFSET: a
/// page starts strictly after the last (key, id) handed out, so events added meanwhile either sort after it (and show
/// up later) or before it (and are not seen), and none is repeated or skipped.
/// </summary>
public sealed class OrderedSearch
{
    public const string PublicEvents =
        "e.status = 'Published' AND e.visibility = 'Public' AND e.ends_at > @now AND e.starts_at >= @earliest_start";

    private readonly EventSearchSession _session;
    private readonly EventSearchFilter _filter;
    private readonly EventSearchSort _sort;
    private readonly string _direction;

    private OrderedSearch(EventSearchSession session, EventSearchFilter filter, EventSearchSort sort, string key,
        bool descending, string keyset)
    {
        (_session, _filter, _sort, Key, Keyset) = (session, filter, sort, key, keyset);
        _direction = descending ? "DESC" : "ASC";
    }

    /// <summary>The sort key of <c>events e</c>.</summary>
    public string Key { get; }

    /// <summary>The condition for after the cursor (<c>" AND …"</c>); empty on the first page.</summary>
    public string Keyset { get; }

    /// <summary>
    /// The viewer's own private events that have not ended (organized or answered: a few hundred probes by primary key
    /// at most), read alone so that no filter tempts the planner into a scan; each step reads them again by id
    /// (<c>OFFSET 0</c> keeps the filters, the radius above all, from being planned as an index scan of their own).
    /// </summary>
    public string Mine => $"""
        (SELECT e.id, e.starts_at, {Key}, FALSE, 0::double precision, TRUE
         FROM (SELECT * FROM events WHERE id = ANY(@private_ids) OFFSET 0) e
         WHERE e.status = 'Published' AND e.visibility <> 'Public' AND e.ends_at > @now
           {_filter.Conditions}{_filter.Radius}{Keyset})
        """;

    public static async Task<OrderedSearch> StartAsync(EventSearchSession session, EventSearchFilter filter,
        EventSearchSort sort, string key, bool descending, string keyset, CancellationToken cancellationToken)
    {
        // With this bound the public part matches ix_events_discovery (status = 'Published' AND visibility = 'Public')
        // on its starts_at too.
        filter.Add("earliest_start", NpgsqlDbType.TimestampTz, (filter.Now - Event.MaxDuration).UtcDateTime);
        var privateIds = await session.ReadIdsAsync($"""
            SELECT e.id FROM events e
            WHERE e.id IN ({EventViewers.InvolvedEventIdsSql}
                           UNION SELECT o.id FROM events o WHERE o.organizer_id = @viewer)
              AND e.status = 'Published' AND e.visibility <> 'Public' AND e.ends_at > @now
            """, filter.Parameters, cancellationToken);
        filter.Add("private_ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid, privateIds.ToArray());
        return new OrderedSearch(session, filter, sort, key, descending, keyset);
    }

    /// <summary>
    /// Reads the steps in turn until one holds a page of public events (the last is unbounded), merged with the
    /// viewer's private ones; the first <see cref="EventSearchFilter.Take"/> of the merged order are the page.
    /// <paramref name="radiusInSteps"/>: the steps' disc stands for the radius (nearest first), so the public part
    /// leaves it out.
    /// </summary>
    public async Task<List<EventSearchHit>> ReadAsync(IEnumerable<EventSearchStep> steps, bool radiusInSteps,
        CancellationToken cancellationToken)
    {
        var publicRadius = radiusInSteps ? "" : _filter.Radius;
        List<EventSearchRow> rows = [];
        foreach (var step in steps)
        {
            var sql = $"""
                SELECT h.id, h.starts_at, h.sort_key, h.public FROM (
                    (SELECT e.id, e.starts_at, {Key} AS sort_key, TRUE AS public, 0::double precision, TRUE
                     FROM events e
                     WHERE {PublicEvents}
                       {_filter.Conditions}{publicRadius}{step.Condition}{Keyset}
                     ORDER BY sort_key {_direction}, e.id
                     LIMIT @take)
                    UNION ALL
                    {Mine}
                ) h
                ORDER BY h.sort_key {_direction}, h.id ASC
                """;
            List<NpgsqlParameter> parameters = step.Parameter is null ? _filter.Parameters : [.. _filter.Parameters, step.Parameter];
            rows = await _session.ReadAsync(sql, parameters, _sort, cancellationToken);
            // Fewer public events than asked for: the step held them all, so look further.
            if (step.Final || rows.Count(row => row.Public) >= _filter.Take)
            {
                break;
            }
        }
        return rows.Take(_filter.Take).Select(row => row.Hit).ToList();
    }
}
