using System.Globalization;
using Kinder.Core.Events;
using NpgsqlTypes;

namespace Kinder.Api.Events;

/// <summary>
/// Most relevant first (needs text). Relevance = 1 for a full-text match + <c>ts_rank</c> (weights: title A,
/// description B, place C) + the title's word similarity: full-text matches come first, ranked title above description
/// above place, and matches only by trigrams (typos, loose words) follow, by similarity. Only the first
/// <see cref="EventSearchQuery.RelevanceCandidateCap"/> matches (full-text ones first, then soonest first) are ranked:
/// ranking cost grows with the number of matches, and a broad term gains nothing from ranking fifty
/// thousand rows. Beyond the cap, which events are ranked can shift as events are added; below it, paging is exact.
/// Public and the viewer's private events are read together: the text match keeps the candidates few.
/// </summary>
public static class RelevanceSearch
{
    public static async Task<List<EventSearchHit>> RunAsync(EventSearchSession session, EventSearchFilter filter,
        CancellationToken cancellationToken)
    {
        var keyset = "";
        if (filter.Criteria.After is { } after)
        {
            filter.Add("after_id", NpgsqlDbType.Uuid, after.Id);
            filter.Add("after_number", NpgsqlDbType.Double, after.Number!.Value);
            keyset = "WHERE r.sort_key < @after_number::real OR (r.sort_key = @after_number::real AND r.id > @after_id)";
        }
        var cap = EventSearchQuery.RelevanceCandidateCap.ToString(CultureInfo.InvariantCulture);
        var sql = $"""
            WITH matched AS MATERIALIZED (
                SELECT e.id, e.title, e.search_vector, e.starts_at, e.going_count, e.location
                FROM events e
                WHERE e.status = 'Published' AND e.ends_at > @now
                  AND (e.visibility = 'Public' OR e.organizer_id = @viewer
                       OR e.id IN ({EventViewers.InvolvedEventIdsSql}))
                  {filter.Conditions}{filter.Radius}
                ORDER BY e.search_vector @@ to_tsquery('english', @tsquery) DESC, e.starts_at, e.id LIMIT {cap}
            ), ranked AS (
                SELECT m.id, m.starts_at,
                       (m.search_vector @@ to_tsquery('english', @tsquery))::integer::real
                       + ts_rank(m.search_vector, to_tsquery('english', @tsquery))
                       + word_similarity(@q, m.title) AS sort_key
                FROM matched m
            )
            SELECT r.id, r.starts_at, r.sort_key, FALSE AS public
            FROM ranked r
            {keyset}
            ORDER BY r.sort_key DESC, r.id ASC
            LIMIT @take
            """;
        var rows = await session.ReadAsync(sql, filter.Parameters, EventSearchSort.Relevance, cancellationToken);
        return rows.Select(row => row.Hit).ToList();
    }
}
