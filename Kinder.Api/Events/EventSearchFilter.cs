using Npgsql;
using NpgsqlTypes;

namespace Kinder.Api.Events;

/// <summary>
/// What every search strategy shares: the caller's filters as one SQL condition on <c>events e</c> and their
/// parameters (everything user-given is a parameter), plus the viewer, the clock and the page length.
/// </summary>
public sealed class EventSearchFilter
{
    /// <summary>The search's point (parameters <c>@latitude</c>, <c>@longitude</c>) as a geography.</summary>
    public const string Point = "ST_SetSRID(ST_MakePoint(@longitude, @latitude), 4326)::geography";

    public EventSearchFilter(EventSearchCriteria criteria, Guid viewerId, DateTimeOffset now, int take)
    {
        Criteria = criteria;
        Now = now;
        Take = take;
        Add("now", NpgsqlDbType.TimestampTz, now.UtcDateTime);
        Add("viewer", NpgsqlDbType.Uuid, viewerId);
        Add("take", NpgsqlDbType.Integer, take);
        var conditions = new List<string>();
        if (criteria.CategoryId is { } categoryId)
        {
            conditions.Add("e.category_id = @category");
            Add("category", NpgsqlDbType.Integer, categoryId);
        }
        if (criteria.From is { } from)
        {
            conditions.Add("e.starts_at >= @from");
            Add("from", NpgsqlDbType.TimestampTz, from.UtcDateTime);
        }
        if (criteria.To is { } to)
        {
            conditions.Add("e.starts_at <= @to");
            Add("to", NpgsqlDbType.TimestampTz, to.UtcDateTime);
        }
        if (criteria.FreeOnly)
        {
            conditions.Add("e.price_minor = 0");
        }
        else if (criteria.MaxPriceMinor is { } maxPrice)
        {
            conditions.Add("e.price_minor <= @max_price");
            Add("max_price", NpgsqlDbType.Bigint, maxPrice);
        }
        if (HasText)
        {
            conditions.Add("(e.search_vector @@ to_tsquery('english', @tsquery) OR @q <% e.title)");
            Add("tsquery", NpgsqlDbType.Text, EventSearchQuery.ToPrefixQuery(criteria.Text!));
            Add("q", NpgsqlDbType.Text, criteria.Text!.Trim());
        }
        Conditions = string.Concat(conditions.Select(condition => " AND " + condition));
        if (criteria.Latitude is { } latitude && criteria.Longitude is { } longitude)
        {
            Add("latitude", NpgsqlDbType.Double, latitude);
            Add("longitude", NpgsqlDbType.Double, longitude);
            if (criteria.RadiusKm is { } radiusKm)
            {
                RadiusMeters = radiusKm * 1000;
                Radius = $" AND ST_DWithin(e.location, {Point}, @radius_m)";
                Add("radius_m", NpgsqlDbType.Double, RadiusMeters.Value);
            }
        }
    }

    public EventSearchCriteria Criteria { get; }

    public DateTimeOffset Now { get; }

    /// <summary>How many hits to read: a page and one more, to know whether there is a next page.</summary>
    public int Take { get; }

    public bool HasText => !string.IsNullOrWhiteSpace(Criteria.Text);

    /// <summary>Category, dates, price and text, each as <c>" AND …"</c>; empty when there are none.</summary>
    public string Conditions { get; }

    /// <summary>The radius as <c>" AND ST_DWithin(…)"</c>; empty without one.</summary>
    public string Radius { get; } = "";

    public double? RadiusMeters { get; }

    public List<NpgsqlParameter> Parameters { get; } = [];

    public void Add(string name, NpgsqlDbType type, object value) => Parameters.Add(new(name, type) { Value = value });
}
