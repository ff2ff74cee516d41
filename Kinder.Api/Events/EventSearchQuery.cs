using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Kinder.Core.Data;
using Kinder.Core.Events;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace Kinder.Api.Events;

public enum EventSearchSort
{
    Relevance,
    Date,
    Popularity,
    Distance,
}

/// <summary>A validated search: the filters, the sort, where the page starts and how long it is.</summary>
public sealed record EventSearchCriteria(
    string? Text,
    int? CategoryId,
    DateTimeOffset? From,
    DateTimeOffset? To,
    double? Latitude,
    double? Longitude,
    double? RadiusKm,
    long? MaxPriceMinor,
    bool FreeOnly,
    EventSearchSort Sort,
    EventSearchCursor? After,
    int Limit);

/// <summary>One hit: the event and its sort key (for the next page's cursor).</summary>
public sealed record EventSearchHit(Guid Id, DateTimeOffset StartsAt, double SortNumber);

/// <summary>
/// The search SQL. It is raw (kept in this one class) because ranking, the typo-tolerant trigram match, the capped
/// candidate set and row-value keyset comparisons have no LINQ translation. Everything user-given is a parameter.
///
/// <list type="bullet">
/// <item>Text matches when the stored <c>search_vector</c> (GIN) matches every word as a prefix
/// (<c>to_tsquery('english', 'hike:* &amp; hill:*')</c>) or when the words are close to the title by trigrams
/// (<c>q &lt;% title</c>, the GIN trigram index, word similarity at least <see cref="WordSimilarityThreshold"/>),
/// so "hikng" finds "Hiking". The threshold is set for the statement's transaction only.</item>
/// <item>Relevance = 1 for a full-text match + <c>ts_rank</c> (weights: title A, description B, place C) + the
/// title's word similarity: full-text matches come first, ranked title above description above place, and matches
/// only by trigrams (typos, loose words) follow, by similarity. Only the first <see cref="RelevanceCandidateCap"/>
/// matches (full-text ones first, then soonest first) are ranked: ranking cost grows with the number of matches
/// (ARCHITECTURE §10), and a broad term gains nothing from ranking fifty thousand rows. Beyond the cap, which events
/// are ranked can shift as events are added; below it, paging is exact.</item>
/// <item>Date, popularity and distance read public events and the viewer's own private ones (organized or answered)
/// apart, then merge them in one order. Public events that have not ended started at most
/// <see cref="Event.MaxDuration"/> ago, so the public part matches the partial GiST index <c>ix_events_discovery</c>
/// (location, starts_at, going_count) and is read in narrowing steps (<see cref="StartWindows"/>,
/// <see cref="PopularityFloors"/>, KNN nearest first, <see cref="SphereMargin"/>) that stop after a page rather than
/// reading every match within the radius (tens of thousands in a big city). Relevance reads its capped candidates as
/// before.</item>
/// <item>Keyset pagination on (sort key, id), never OFFSET: a page starts strictly after the last (key, id) handed
/// out, so events added meanwhile either sort after it (and show up later) or before it (and are not seen), and
/// none is repeated or skipped.</item>
/// </list>
/// </summary>
public static partial class EventSearchQuery
{
    public const int RelevanceCandidateCap = 1000;

    /// <summary>
    /// pg_trgm's default (0.6) misses one typo in a short word: word_similarity('hikng', 'Hiking …') is 0.5.
    /// 0.4 still finds one slip in a four-letter word; loose matches rank below real ones (the rank adds ts_rank).
    /// </summary>
    public const double WordSimilarityThreshold = 0.4;

    /// <summary>The words of a query as a prefix tsquery ('hike:* &amp; hill:*'); empty when it has none.</summary>
    public static string ToPrefixQuery(string text) =>
        string.Join(" & ", Words().Matches(text).Select(match => match.Value.ToLowerInvariant() + ":*"));

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex Words();

    /// <summary>
    /// Date sort: the windows of start times (from the cursor's start, or now) tried in turn for the public events: the
    /// first <c>take</c> public events are the same whichever window first holds that many, so a dense city reads a
    /// day's events rather than every upcoming one (the partial GiST index <c>ix_events_discovery</c> answers the
    /// radius and the window together), and a sparse place or a narrow filter widens until the last, unbounded, window.
    /// </summary>
    public static readonly IReadOnlyList<TimeSpan?> StartWindows = [TimeSpan.FromDays(1), TimeSpan.FromDays(7), null];

    /// <summary>The same for most going first: "at least k going" floors (going_count is in the index).</summary>
    public static readonly IReadOnlyList<int> PopularityFloors = [20, 5, 0];

    /// <summary>
    /// Nearest first: the index's KNN order (<c>&lt;-&gt;</c>, distance on the sphere) reads twice a page of the
    /// nearest public events after the cursor and stops; the sort key is ST_Distance on the spheroid, which differs
    /// from the sphere's by less than this share (about 0.6% at most), so an event not read (at least as far on the
    /// sphere as the last one read) is farther than the page's last when that is nearer than the last read's sphere
    /// distance less this share. When it is not (or the radius leaves too few), the page is read exactly from the disc
    /// that surely holds it. The radius is not in the KNN scan: with ST_DWithin there the planner misjudges how few
    /// rows the radius keeps and reads them all rather than walking the index in KNN order; it is applied to the rows
    /// read (ST_DWithin, as before).
    /// </summary>
    public const double SphereMargin = 0.01;

    public static async Task<List<EventSearchHit>> RunAsync(KinderDbContext db, EventSearchCriteria criteria,
        Guid viewerId, DateTimeOffset now, int take, CancellationToken cancellationToken)
    {
        var parameters = new List<NpgsqlParameter>
        {
            new("now", NpgsqlDbType.TimestampTz) { Value = now.UtcDateTime },
            new("viewer", NpgsqlDbType.Uuid) { Value = viewerId },
            new("take", NpgsqlDbType.Integer) { Value = take },
        };
        var filters = new StringBuilder();
        if (criteria.CategoryId is { } categoryId)
        {
            filters.Append(" AND e.category_id = @category");
            parameters.Add(new("category", NpgsqlDbType.Integer) { Value = categoryId });
        }
        if (criteria.From is { } from)
        {
            filters.Append(" AND e.starts_at >= @from");
            parameters.Add(new("from", NpgsqlDbType.TimestampTz) { Value = from.UtcDateTime });
        }
        if (criteria.To is { } to)
        {
            filters.Append(" AND e.starts_at <= @to");
            parameters.Add(new("to", NpgsqlDbType.TimestampTz) { Value = to.UtcDateTime });
        }
        if (criteria.FreeOnly)
        {
            filters.Append(" AND e.price_minor = 0");
        }
        else if (criteria.MaxPriceMinor is { } maxPrice)
        {
            filters.Append(" AND e.price_minor <= @max_price");
            parameters.Add(new("max_price", NpgsqlDbType.Bigint) { Value = maxPrice });
        }
        var hasText = !string.IsNullOrWhiteSpace(criteria.Text);
        if (hasText)
        {
            filters.Append(" AND (e.search_vector @@ to_tsquery('english', @tsquery) OR @q <% e.title)");
            parameters.Add(new("tsquery", NpgsqlDbType.Text) { Value = ToPrefixQuery(criteria.Text!) });
            parameters.Add(new("q", NpgsqlDbType.Text) { Value = criteria.Text!.Trim() });
        }
        const string point = "ST_SetSRID(ST_MakePoint(@longitude, @latitude), 4326)::geography";
        var radius = "";
        double? radiusMeters = null;
        if (criteria.Latitude is { } latitude && criteria.Longitude is { } longitude)
        {
            parameters.Add(new("latitude", NpgsqlDbType.Double) { Value = latitude });
            parameters.Add(new("longitude", NpgsqlDbType.Double) { Value = longitude });
            if (criteria.RadiusKm is { } radiusKm)
            {
                radiusMeters = radiusKm * 1000;
                radius = $" AND ST_DWithin(e.location, {point}, @radius_m)";
                parameters.Add(new("radius_m", NpgsqlDbType.Double) { Value = radiusMeters.Value });
            }
        }

        await using var session = await SearchSession.StartAsync(db, cancellationToken);
        if (criteria.Sort == EventSearchSort.Relevance)
        {
            var hits = await session.ReadAsync(RelevanceSql(criteria.After, parameters, filters + radius), parameters,
                criteria.Sort, cancellationToken);
            await session.CommitAsync(cancellationToken);
            return hits.Select(hit => hit.Hit).ToList();
        }

        var (key, descending) = criteria.Sort switch
        {
            EventSearchSort.Date => ("e.starts_at", false),
            EventSearchSort.Popularity => ("e.going_count", true),
            EventSearchSort.Distance => ($"ST_Distance(e.location, {point})", false),
            _ => throw new ArgumentOutOfRangeException(nameof(criteria)),
        };
        // The keyset condition against the cursor's (key, id), with the key's bound alone as well, which the index
        // can use (starts_at and going_count are in ix_events_discovery).
        var keyset = "";
        if (criteria.After is { } after)
        {
            parameters.Add(new("after_id", NpgsqlDbType.Uuid) { Value = after.Id });
            if (criteria.Sort == EventSearchSort.Date)
            {
                parameters.Add(new("after_time", NpgsqlDbType.TimestampTz) { Value = after.StartsAt!.Value.UtcDateTime });
                keyset = " AND e.starts_at >= @after_time AND (e.starts_at, e.id) > (@after_time, @after_id)";
            }
            else if (criteria.Sort == EventSearchSort.Popularity)
            {
                parameters.Add(new("after_going", NpgsqlDbType.Integer) { Value = (int)after.Number!.Value });
                keyset = " AND e.going_count <= @after_going"
                    + " AND (e.going_count < @after_going OR (e.going_count = @after_going AND e.id > @after_id))";
            }
            else
            {
                parameters.Add(new("after_number", NpgsqlDbType.Double) { Value = after.Number!.Value });
                keyset = $" AND ({key}, e.id) > (@after_number, @after_id)";
            }
        }
        // Public events that may not have ended have started at most Event.MaxDuration ago: with that bound the public
        // part matches ix_events_discovery (status = 'Published' AND visibility = 'Public') on its starts_at too.
        parameters.Add(new("earliest_start", NpgsqlDbType.TimestampTz) { Value = (now - Event.MaxDuration).UtcDateTime });

        const string publicEvents = """
            e.status = 'Published' AND e.visibility = 'Public' AND e.ends_at > @now AND e.starts_at >= @earliest_start
            """;
        // The viewer's own private events that have not ended (organized or answered: a few hundred probes by primary
        // key at most), read alone so that no filter tempts the planner into a scan; each step reads them again by id
        // (OFFSET 0 keeps the filters, the radius above all, from being planned as an index scan of their own).
        var privateIds = await session.ReadIdsAsync("""
            SELECT e.id FROM events e
            WHERE e.id IN (SELECT a.event_id FROM event_attendances a WHERE a.user_id = @viewer
                           UNION SELECT o.id FROM events o WHERE o.organizer_id = @viewer)
              AND e.status = 'Published' AND e.visibility <> 'Public' AND e.ends_at > @now
            """, parameters, cancellationToken);
        parameters.Add(new("private_ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = privateIds.ToArray() });

        double? nearestDisc = null;
        var direction = descending ? "DESC" : "ASC";
        var mine = $"""
            (SELECT e.id, e.starts_at, {key}, FALSE, 0::double precision, TRUE
             FROM (SELECT * FROM events WHERE id = ANY(@private_ids) OFFSET 0) e
             WHERE e.status = 'Published' AND e.visibility <> 'Public' AND e.ends_at > @now
               {filters}{radius}{keyset})
            """;
        // With text the matches (GIN) are few enough to read whole, in one step, and the planner starts from them:
        // narrowing by start, popularity or KNN would only re-read them (the seeded "quiz" matches 2,477 of 100,000).
        var narrow = !hasText;
        if (narrow && criteria.Sort == EventSearchSort.Distance)
        {
            var fetch = take * 2;
            var inside = radiusMeters is null ? "TRUE" : $"ST_DWithin(e.location, {point}, @radius_m)";
            var nearest = $"""
                SELECT h.id, h.starts_at, h.sort_key, h.public, h.sphere, h.inside FROM (
                    (SELECT e.id, e.starts_at, {key} AS sort_key, TRUE AS public, e.location <-> {point} AS sphere,
                            {inside} AS inside
                     FROM events e
                     WHERE {publicEvents}{filters}{keyset}
                     ORDER BY e.location <-> {point}
                     LIMIT @fetch)
                    UNION ALL
                    {mine}
                ) h
                ORDER BY h.sort_key, h.id
                """;
            var read = await session.ReadAsync(nearest,
                [.. parameters, new("fetch", NpgsqlDbType.Integer) { Value = fetch }], criteria.Sort, cancellationToken);
            var readPublic = read.Count(row => row.Public);
            var reach = read.Where(row => row.Public).Select(row => row.Sphere).DefaultIfEmpty(0).Max()
                * (1 - SphereMargin);
            var kept = read.Where(row => row.Inside).ToList();
            var keptPublic = kept.Where(row => row.Public).ToList();
            if (readPublic < fetch
                || (keptPublic.Count >= take && keptPublic[take - 1].Hit.SortNumber < reach)
                || (keptPublic.Count < take && radiusMeters < reach))
            {
                await session.CommitAsync(cancellationToken);
                return kept.Take(take).Select(row => row.Hit).ToList();
            }
            // At least `take` events are this near, so the page is within it.
            nearestDisc = keptPublic.Count >= take ? keptPublic[take - 1].Hit.SortNumber + 1 : null;
        }

        List<Row> rows = [];
        foreach (var step in narrow ? Steps(criteria, now, radiusMeters, nearestDisc) : [FinalStep(criteria, radiusMeters)])
        {
            List<NpgsqlParameter> stepParameters = step.Parameter is null ? parameters : [.. parameters, step.Parameter];
            // Nearest first: the step's disc stands for the radius in the public part (it is never wider).
            var publicRadius = criteria.Sort == EventSearchSort.Distance ? "" : radius;
            var sql = $"""
                SELECT h.id, h.starts_at, h.sort_key, h.public FROM (
                    (SELECT e.id, e.starts_at, {key} AS sort_key, TRUE AS public, 0::double precision, TRUE
                     FROM events e
                     WHERE {publicEvents}
                       {filters}{publicRadius}{step.Condition}{keyset}
                     ORDER BY sort_key {direction}, e.id
                     LIMIT @take)
                    UNION ALL
                    {mine}
                ) h
                ORDER BY h.sort_key {direction}, h.id ASC
                """;
            rows = await session.ReadAsync(sql, stepParameters, criteria.Sort, cancellationToken);
            // Fewer public events than asked for: the step held them all, so look further (the last step is unbounded).
            if (step.Final || rows.Count(row => row.Public) >= take)
            {
                break;
            }
        }
        await session.CommitAsync(cancellationToken);
        // Private events of the viewer's come unlimited: the first `take` of the merged order are the page.
        return rows.Take(take).Select(row => row.Hit).ToList();
    }

    private sealed record Step(string Condition, NpgsqlParameter? Parameter, bool Final);

    /// <summary>A row read: the hit, whether it is from the public part, its distance on the sphere, and whether it is
    /// within the radius (read by the nearest-first KNN scan, which leaves the radius to the reader).</summary>
    private sealed record Row(EventSearchHit Hit, bool Public, double Sphere, bool Inside);

    /// <summary>The narrowing steps of the public part for the sort (see the lists above); the last is the whole of it.</summary>
    private static IEnumerable<Step> Steps(EventSearchCriteria criteria, DateTimeOffset now, double? radiusMeters,
        double? nearestDisc)
    {
        switch (criteria.Sort)
        {
            case EventSearchSort.Date:
                // Windows start where the first public event can (none starts after `until` and before this).
                var start = new[] { now, criteria.After?.StartsAt ?? now, criteria.From ?? now }.Max();
                foreach (var window in StartWindows)
                {
                    yield return window is { } days
                        ? new Step(" AND e.starts_at <= @until",
                            new("until", NpgsqlDbType.TimestampTz) { Value = (start + days).UtcDateTime }, false)
                        : new Step("", null, true);
                }
                break;
            case EventSearchSort.Popularity:
                foreach (var floor in PopularityFloors)
                {
                    if (floor == 0)
                    {
                        yield return new Step("", null, true);
                    }
                    // A floor above the cursor's going count holds nothing after it.
                    else if (criteria.After?.Number is not { } afterGoing || afterGoing >= floor)
                    {
                        yield return new Step(" AND e.going_count >= @floor",
                            new("floor", NpgsqlDbType.Integer) { Value = floor }, false);
                    }
                }
                break;
            default:
                // Within the disc that holds the `take` nearest (from the KNN probe) when it is inside the radius.
                if (nearestDisc is { } meters && (radiusMeters is not { } inside || meters < inside))
                {
                    yield return new Step(Disc, new("step_m", NpgsqlDbType.Double) { Value = meters }, true);
                }
                else
                {
                    yield return FinalStep(criteria, radiusMeters);
                }
                break;
        }
    }

    /// <summary>The whole of the public part: no narrowing but the radius.</summary>
    private static Step FinalStep(EventSearchCriteria criteria, double? radiusMeters) =>
        criteria.Sort == EventSearchSort.Distance && radiusMeters is { } meters
            ? new Step(Disc, new("step_m", NpgsqlDbType.Double) { Value = meters }, true)
            : new Step("", null, true);

    private const string Disc =
        " AND ST_DWithin(e.location, ST_SetSRID(ST_MakePoint(@longitude, @latitude), 4326)::geography, @step_m)";

    /// <summary>
    /// Relevance (with text): the first <see cref="RelevanceCandidateCap"/> matches ranked, then the keyset and the
    /// page.
    /// </summary>
    private static string RelevanceSql(EventSearchCursor? after, List<NpgsqlParameter> parameters, string filters)
    {
        const string key = "(m.search_vector @@ to_tsquery('english', @tsquery))::integer::real"
            + " + ts_rank(m.search_vector, to_tsquery('english', @tsquery)) + word_similarity(@q, m.title)";
        var keyset = "";
        if (after is not null)
        {
            parameters.Add(new("after_id", NpgsqlDbType.Uuid) { Value = after.Id });
            parameters.Add(new("after_number", NpgsqlDbType.Double) { Value = after.Number!.Value });
            keyset = "WHERE r.sort_key < @after_number::real"
                + " OR (r.sort_key = @after_number::real AND r.id > @after_id)";
        }
        var cap = RelevanceCandidateCap.ToString(CultureInfo.InvariantCulture);
        return $"""
            WITH matched AS MATERIALIZED (
                SELECT e.id, e.title, e.search_vector, e.starts_at, e.going_count, e.location
                FROM events e
                WHERE e.status = 'Published' AND e.ends_at > @now
                  AND (e.visibility = 'Public' OR e.organizer_id = @viewer
                       OR EXISTS (SELECT 1 FROM event_attendances a WHERE a.event_id = e.id AND a.user_id = @viewer))
                  {filters}
                ORDER BY e.search_vector @@ to_tsquery('english', @tsquery) DESC, e.starts_at, e.id LIMIT {cap}
            ), ranked AS (
                SELECT m.id, m.starts_at, {key} AS sort_key FROM matched m
            )
            SELECT r.id, r.starts_at, r.sort_key, FALSE
            FROM ranked r
            {keyset}
            ORDER BY r.sort_key DESC, r.id ASC
            LIMIT @take
            """;
    }

    /// <summary>One connection and transaction for a search's statements (the trigram threshold is set for it).</summary>
    private sealed class SearchSession(KinderDbContext db, DbTransaction transaction) : IAsyncDisposable
    {
        public static async Task<SearchSession> StartAsync(KinderDbContext db, CancellationToken cancellationToken)
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
            try
            {
                var connection = db.Database.GetDbConnection();
                var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = "SET LOCAL pg_trgm.word_similarity_threshold = " +
                    WordSimilarityThreshold.ToString(CultureInfo.InvariantCulture);
                await command.ExecuteNonQueryAsync(cancellationToken);
                return new SearchSession(db, transaction);
            }
            catch
            {
                await db.Database.CloseConnectionAsync();
                throw;
            }
        }

        public async Task<List<Row>> ReadAsync(string sql,
            List<NpgsqlParameter> parameters, EventSearchSort sort, CancellationToken cancellationToken)
        {
            await using var command = transaction.Connection!.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            // A parameter belongs to one command: each statement gets copies.
            command.Parameters.AddRange(parameters.Select(parameter => parameter.Clone()).ToArray());
            var hits = new List<Row>();
            await using DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var id = reader.GetGuid(0);
                var startsAt = new DateTimeOffset(reader.GetDateTime(1), TimeSpan.Zero);
                var number = sort switch
                {
                    EventSearchSort.Date => 0,
                    EventSearchSort.Relevance => reader.GetFloat(2),
                    EventSearchSort.Popularity => reader.GetInt32(2),
                    _ => reader.GetDouble(2),
                };
                var sphere = reader.FieldCount > 4 ? reader.GetDouble(4) : 0;
                var inside = reader.FieldCount <= 5 || reader.GetBoolean(5);
                hits.Add(new Row(new EventSearchHit(id, startsAt, number), reader.GetBoolean(3), sphere, inside));
            }
            return hits;
        }

        public async Task<List<Guid>> ReadIdsAsync(string sql, List<NpgsqlParameter> parameters,
            CancellationToken cancellationToken)
        {
            await using var command = transaction.Connection!.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            command.Parameters.AddRange(parameters.Select(parameter => parameter.Clone()).ToArray());
            var ids = new List<Guid>();
            await using DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                ids.Add(reader.GetGuid(0));
            }
            return ids;
        }

        public Task CommitAsync(CancellationToken cancellationToken) => transaction.CommitAsync(cancellationToken);

        public async ValueTask DisposeAsync()
        {
            await transaction.DisposeAsync();
            await db.Database.CloseConnectionAsync();
        }
    }
}
