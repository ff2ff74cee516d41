using System.Text.RegularExpressions;
using Kinder.Core.Data;

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
/// The search, in raw SQL because ranking, the typo-tolerant trigram match, the capped candidate set and row-value
/// keyset comparisons have no LINQ translation. One strategy per sort, each with its SQL in one place
/// (<see cref="RelevanceSearch"/>, <see cref="DateSearch"/>, <see cref="PopularitySearch"/>,
/// <see cref="DistanceSearch"/>); they share the filters (<see cref="EventSearchFilter"/>), the session that reads rows
/// (<see cref="EventSearchSession"/>) and, but for relevance, the merge of public and private events
/// (<see cref="OrderedSearch"/>).
///
/// Text matches when the stored <c>search_vector</c> (GIN) matches every word as a prefix
/// (<c>to_tsquery('english', 'hike:* &amp; hill:*')</c>) or when the words are close to the title by trigrams
/// (<c>q &lt;% title</c>, the GIN trigram index, word similarity at least <see cref="WordSimilarityThreshold"/>),
/// so "hikng" finds "Hiking". The threshold is set for the statement's transaction only.
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
        var filter = new EventSearchFilter(criteria, viewerId, now, take);
        await using var session = await EventSearchSession.StartAsync(db, cancellationToken);
        var hits = criteria.Sort switch
        {
            EventSearchSort.Relevance => await RelevanceSearch.RunAsync(session, filter, cancellationToken),
            EventSearchSort.Date => await DateSearch.RunAsync(session, filter, cancellationToken),
            EventSearchSort.Popularity => await PopularitySearch.RunAsync(session, filter, cancellationToken),
            EventSearchSort.Distance => await DistanceSearch.RunAsync(session, filter, cancellationToken),
            _ => throw new ArgumentOutOfRangeException(nameof(criteria)),
        };
        await session.CommitAsync(cancellationToken);
        return hits;
    }
}
