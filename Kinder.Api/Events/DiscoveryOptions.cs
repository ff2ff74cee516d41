namespace Kinder.Api.Events;

/// <summary>
/// Configuration section <c>Discovery</c>: how <c>GET /events/discover</c> scores and how much it looks at. Every score
/// term is in [0, 1] and multiplied by its weight (<c>Discovery:Weights:*</c>); a weight of 0 switches a term off.
/// </summary>
public sealed class DiscoveryOptions
{
    public const string SectionName = "Discovery";

    public DiscoveryWeights Weights { get; set; } = new();

    /// <summary>The radius when neither the request nor the user's <c>location.radiusKm</c> preference gives one.</summary>
    public int DefaultRadiusKm { get; set; } = 25;

    /// <summary>How many candidates the database hands over for scoring (the nearest, soonest or most popular ones).</summary>
    public int CandidateLimit { get; set; } = 300;

    /// <summary>Distance term: e^(-km / scale); at this many km it has fallen to 0.37.</summary>
    public double DistanceScaleKm { get; set; } = 10;

    /// <summary>"How soon" term: e^(-days / scale).</summary>
    public double SoonScaleDays { get; set; } = 14;

    /// <summary>Popularity term: log(1 + going) / log(1 + reference), at most 1: this many going counts as fully popular.</summary>
    public int PopularityReference { get; set; } = 50;

    /// <summary>Affinity term: past events in the category / this, at most 1.</summary>
    public int AffinitySaturation { get; set; } = 3;

    /// <summary>How long a feed's ranked snapshot is kept for its cursor (see <see cref="DiscoverySnapshots"/>).</summary>
    public TimeSpan SnapshotLifetime { get; set; } = TimeSpan.FromMinutes(30);

    public bool IsValid() =>
        Weights.IsValid()
        && DefaultRadiusKm > 0 && CandidateLimit is > 0 and <= 5000
        && DistanceScaleKm > 0 && SoonScaleDays > 0 && PopularityReference > 0 && AffinitySaturation > 0
        && SnapshotLifetime > TimeSpan.Zero;
}

/// <summary>The weight of each score term, each between 0 and 100.</summary>
public sealed class DiscoveryWeights
{
    public const double Max = 100;

    /// <summary>The event's category is one of the user's interests.</summary>
    public double Interest { get; set; } = 3;
    public double Distance { get; set; } = 2;

    /// <summary>The event starts on a day and at a time the user said they are usually free.</summary>
    public double Availability { get; set; } = 1.5;
    public double Popularity { get; set; } = 1;
    public double Soon { get; set; } = 1;

    /// <summary>The user went to events of this category before.</summary>
    public double Affinity { get; set; } = 1;

    /// <summary>People the user shares conversations with are going.</summary>
    public double Connections { get; set; } = 1.5;

    /// <summary>Friends are going: the strongest social signal, saturating at two friends.</summary>
    public double Friends { get; set; } = 3;

    public bool IsValid() =>
        new[] { Interest, Distance, Availability, Popularity, Soon, Affinity, Connections, Friends }
            .All(weight => weight is >= 0 and <= Max);
}
