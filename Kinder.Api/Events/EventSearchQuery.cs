using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Kinder.Core.Data;
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
        const string point = "ST_SetSRID(ST_MakePoint(@longitude, @latitude), 4326)::geography";
        if (criteria.Latitude is { } latitude && criteria.Longitude is { } longitude)
        {
            parameters.Add(new("latitude", NpgsqlDbType.Double) { Value = latitude });
            parameters.Add(new("longitude", NpgsqlDbType.Double) { Value = longitude });
            if (criteria.RadiusKm is { } radiusKm)
            {
                filters.Append($" AND ST_DWithin(e.location, {point}, @radius_m)");
                parameters.Add(new("radius_m", NpgsqlDbType.Double) { Value = radiusKm * 1000 });
            }
        }
        var hasText = !string.IsNullOrWhiteSpace(criteria.Text);
        if (hasText)
        {
            filters.Append(" AND (e.search_vector @@ to_tsquery('english', @tsquery) OR @q <% e.title)");
            parameters.Add(new("tsquery", NpgsqlDbType.Text) { Value = ToPrefixQuery(criteria.Text!) });
            parameters.Add(new("q", NpgsqlDbType.Text) { Value = criteria.Text!.Trim() });
        }

        // The sort key, the direction, and the keyset condition against the cursor's (key, id).
        var (key, descending) = criteria.Sort switch
        {
            // The Api asks for relevance only with text.
            EventSearchSort.Relevance =>
                ("(m.search_vector @@ to_tsquery('english', @tsquery))::integer::real"
                    + " + ts_rank(m.search_vector, to_tsquery('english', @tsquery)) + word_similarity(@q, m.title)", true),
            EventSearchSort.Date => ("m.starts_at", false),
            EventSearchSort.Popularity => ("m.going_count", true),
            EventSearchSort.Distance => ($"ST_Distance(m.location, {point})", false),
            _ => throw new ArgumentOutOfRangeException(nameof(criteria)),
        };
        var keyset = "";
        if (criteria.After is { } after)
        {
            parameters.Add(new("after_id", NpgsqlDbType.Uuid) { Value = after.Id });
            var afterKey = criteria.Sort switch
            {
                EventSearchSort.Date => "@after_time",
                EventSearchSort.Relevance => "@after_number::real",
                EventSearchSort.Popularity => "@after_number::integer",
                _ => "@after_number",
            };
            if (criteria.Sort == EventSearchSort.Date)
            {
                parameters.Add(new("after_time", NpgsqlDbType.TimestampTz) { Value = after.StartsAt!.Value.UtcDateTime });
            }
            else
            {
                parameters.Add(new("after_number", NpgsqlDbType.Double) { Value = after.Number!.Value });
            }
            keyset = descending
                ? $"WHERE r.sort_key < {afterKey} OR (r.sort_key = {afterKey} AND r.id > @after_id)"
                : $"WHERE (r.sort_key, r.id) > ({afterKey}, @after_id)";
        }
        var cap = criteria.Sort == EventSearchSort.Relevance
            ? "ORDER BY e.search_vector @@ to_tsquery('english', @tsquery) DESC, e.starts_at, e.id LIMIT "
                + RelevanceCandidateCap.ToString(CultureInfo.InvariantCulture)
            : "";
        var direction = descending ? "DESC" : "ASC";

        var sql = $"""
            WITH matched AS MATERIALIZED (
                SELECT e.id, e.title, e.search_vector, e.starts_at, e.going_count, e.location
                FROM events e
                WHERE e.status = 'Published' AND e.ends_at > @now
                  AND (e.visibility = 'Public' OR e.organizer_id = @viewer
                       OR EXISTS (SELECT 1 FROM event_attendances a WHERE a.event_id = e.id AND a.user_id = @viewer))
                  {filters}
                {cap}
            ), ranked AS (
                SELECT m.id, m.starts_at, {key} AS sort_key FROM matched m
            )
            SELECT r.id, r.starts_at, r.sort_key
            FROM ranked r
            {keyset}
            ORDER BY r.sort_key {direction}, r.id ASC
            LIMIT @take
            """;
        return await ReadHitsAsync(db, sql, parameters, criteria.Sort, cancellationToken);
    }

    private static async Task<List<EventSearchHit>> ReadHitsAsync(KinderDbContext db, string sql,
        List<NpgsqlParameter> parameters, EventSearchSort sort, CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "SET LOCAL pg_trgm.word_similarity_threshold = " +
                WordSimilarityThreshold.ToString(CultureInfo.InvariantCulture) + ";\n" + sql;
            command.Parameters.AddRange(parameters.ToArray());
            var hits = new List<EventSearchHit>();
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
                hits.Add(new EventSearchHit(id, startsAt, number));
            }
            await reader.DisposeAsync();
            await transaction.CommitAsync(cancellationToken);
            return hits;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
