using System.Globalization;
using System.Text;

namespace Kinder.Bench.Events;

/// <summary>
/// The request mix: what real clients of the feed and of search would ask, drawn at random. Cursor pages are asked
/// for by the runner (a client that got a nextCursor goes on to the next page a third of the time).
/// </summary>
public static class Requests
{
    // The seeded cities (tools/Kinder.Seed/SeedWorld.cs), London the densest.
    private static readonly (double Latitude, double Longitude)[] Cities =
    [
        (51.5074, -0.1278), (52.5200, 13.4050), (48.8566, 2.3522), (40.4168, -3.7038), (52.3676, 4.9041),
    ];

    private static readonly string[] Words =
    [
        "hiking", "hike", "yoga", "board games", "pub quiz", "running", "jazz", "language exchange", "coffee",
        "photo walk", "salsa", "book club", "pottery", "techno", "sourdough", "bouldering", "wine tasting", "coding",
        "football", "meditation", "street food", "open mic", "kayak", "choir", "startup", "Kreuzberg", "Shoreditch",
        // Typos people make: the trigram match has to catch these.
        "hikng", "yogaa", "bord games", "jaz night", "medtation", "languge exchange",
    ];

    private static readonly int[] Categories = [101, 102, 105, 107, 201, 302, 401, 501, 503, 504, 601, 701, 704, 801, 803, 804];
    private static readonly int[] Radii = [2, 5, 10, 25, 50];

    /// <summary>A first page of the feed: mostly the profile's place and radius, sometimes a point and a sort.</summary>
    public static string Discover(Random random)
    {
        var query = new StringBuilder("/api/v1/events/discover?limit=20");
        if (random.NextDouble() < 0.2)
        {
            AppendPoint(query, random);
            Append(query, "radiusKm", Radii[random.Next(Radii.Length)]);
        }
        var sort = random.NextDouble() switch
        {
            < 0.8 => null,
            < 0.87 => "date",
            < 0.94 => "distance",
            _ => "popularity",
        };
        if (sort is not null)
        {
            query.Append("&sort=").Append(sort);
        }
        return query.ToString();
    }

    /// <summary>A first page of search: text (a third with typos) or browsing, mostly near a city, some filters.</summary>
    public static string Search(Random random)
    {
        var query = new StringBuilder("/api/v1/events/search?limit=20");
        var hasText = random.NextDouble() < 0.7;
        if (hasText)
        {
            query.Append("&q=").Append(Uri.EscapeDataString(Words[random.Next(Words.Length)]));
        }
        var hasPoint = random.NextDouble() < 0.75;
        if (hasPoint)
        {
            AppendPoint(query, random);
            Append(query, "radiusKm", Radii[random.Next(Radii.Length)]);
        }
        if (random.NextDouble() < 0.2)
        {
            Append(query, "categoryId", Categories[random.Next(Categories.Length)]);
        }
        if (random.NextDouble() < 0.2)
        {
            query.Append("&free=true");
        }
        if (random.NextDouble() < 0.25)
        {
            var from = DateTimeOffset.UtcNow.Date.AddDays(random.Next(0, 30));
            query.Append("&from=").Append(Uri.EscapeDataString(from.ToString("yyyy-MM-ddT00:00:00Z", CultureInfo.InvariantCulture)));
            query.Append("&to=").Append(Uri.EscapeDataString(from.AddDays(7).ToString("yyyy-MM-ddT00:00:00Z", CultureInfo.InvariantCulture)));
        }
        var sorts = new List<string> { "date", "popularity" };
        if (hasText)
        {
            sorts.AddRange(["relevance", "relevance", "relevance"]);
        }
        if (hasPoint)
        {
            sorts.Add("distance");
        }
        query.Append("&sort=").Append(sorts[random.Next(sorts.Count)]);
        return query.ToString();
    }

    // Seeded display names are "First Last" (tools/Kinder.Seed/SeedWorld.cs): what people type looking for someone —
    // a prefix, a whole first name, first and last, and typos the trigram match has to catch.
    private static readonly string[] People =
    [
        "al", "sam", "jam", "maya", "noah", "len", "sofia", "lucas m", "emma", "chlo", "pablo", "olivia", "har", "hannah",
        "priya", "kenji", "aisha", "clara", "zoe", "nora", "theo", "jules",
        "sofai", "olivai", "hanah", "kenj1", "pryia", "lukas", "matteo", "cloe",
    ];

    /// <summary>A first page of people search by display name.</summary>
    public static string Users(Random random) =>
        "/api/v1/users/search?limit=20&q=" + Uri.EscapeDataString(People[random.Next(People.Length)]);

    /// <summary>The admin dashboard's counts.</summary>
    public const string Dashboard = "/api/v1/admin/dashboard";

    /// <summary>The admin analytics series: the last 90 days, daily.</summary>
    public static string Analytics()
    {
        var to = DateOnly.FromDateTime(DateTime.UtcNow);
        return FormattableString.Invariant($"/api/v1/admin/analytics?from={to.AddDays(-90):yyyy-MM-dd}&to={to:yyyy-MM-dd}&interval=day");
    }

    /// <summary>The same request's next page.</summary>
    public static string Next(string first, string cursor) => first + "&cursor=" + Uri.EscapeDataString(cursor);

    private static void AppendPoint(StringBuilder query, Random random)
    {
        var (latitude, longitude) = Cities[random.Next(Cities.Length)];
        // Somewhere in town: up to ~5 km from the centre.
        Append(query, "latitude", Math.Round(latitude + (random.NextDouble() - 0.5) * 0.09, 5));
        Append(query, "longitude", Math.Round(longitude + (random.NextDouble() - 0.5) * 0.14, 5));
    }

    private static void Append(StringBuilder query, string name, double value) =>
        query.Append('&').Append(name).Append('=').Append(value.ToString(CultureInfo.InvariantCulture));
}
