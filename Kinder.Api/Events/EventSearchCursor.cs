using Kinder.Api.Infrastructure;

namespace Kinder.Api.Events;

/// <summary>
/// The opaque cursor of a search page: base64url JSON of the sort it belongs to and the last item's (sort key, id).
/// The key is the start time for the date sort and a number for the others (relevance, going count, metres), so the
/// next page starts strictly after that item in the same order.
/// </summary>
public sealed record EventSearchCursor(string Sort, DateTimeOffset? StartsAt, double? Number, Guid Id)
{
    public static string Encode(EventSearchSort sort, EventSearchHit last) =>
        Cursors.Encode(new EventSearchCursor(
            SortName(sort),
            sort == EventSearchSort.Date ? last.StartsAt : null,
            sort == EventSearchSort.Date ? null : last.SortNumber,
            last.Id));

    /// <summary>Null for a cursor this search did not give out (garbage, or another sort's).</summary>
    public static EventSearchCursor? Decode(string cursor, EventSearchSort sort)
    {
        var decoded = Cursors.Decode<EventSearchCursor>(cursor);
        var fits = decoded is not null && decoded.Id != Guid.Empty && decoded.Sort == SortName(sort)
            && (sort == EventSearchSort.Date
                ? decoded.StartsAt is not null
                : decoded.Number is { } number && double.IsFinite(number));
        return fits ? decoded : null;
    }

    public static string SortName(EventSearchSort sort) => sort.ToString().ToLowerInvariant();
}
