using System.Globalization;
using Kinder.Core.Preferences;

namespace Kinder.Api.Events;

/// <summary>What the scorer needs to know about one candidate (read by <see cref="DiscoveryQuery"/>).</summary>
public sealed record DiscoveryCandidate(Guid Id, int CategoryId, string CategoryName, DateTimeOffset StartsAt,
    int GoingCount, bool IsFull, double? DistanceKm);

/// <summary>What the scorer needs to know about the user.</summary>
public sealed record DiscoveryViewer(
    IReadOnlySet<int> Interests,
    WeekendAvailability Availability,
    IReadOnlyDictionary<int, int> PastEventsByCategory,
    IReadOnlyDictionary<Guid, int> ConnectionsGoing,
    IReadOnlyDictionary<Guid, int> FriendsGoing);

public sealed record DiscoveryScore(double Score, IReadOnlyList<string> Reasons);

/// <summary>
/// The personalised score of a candidate: the weighted sum of terms in [0, 1], and the reasons a person reads, the
/// strongest first. Every item has reasons: its distance (when there is a point), how many are going and when it starts
/// are always said.
/// </summary>
/// <remarks>
/// Time-zone simplification: availability is matched against the event's start in UTC (day of week and hour), since
/// neither events nor users carry a time zone yet. For Europe that is off by one or two hours at the edges of a slot.
/// </remarks>
public sealed class DiscoveryScorer(DiscoveryOptions options)
{
    private const int EveningStartsAtHour = 17;

    public DiscoveryScore Score(DiscoveryCandidate candidate, DiscoveryViewer viewer, DateTimeOffset now)
    {
        var weights = options.Weights;
        var terms = new List<(double Value, string? Reason)>();

        var likes = viewer.Interests.Contains(candidate.CategoryId);
        terms.Add((weights.Interest * (likes ? 1 : 0), likes ? $"You like {candidate.CategoryName}" : null));

        if (candidate.DistanceKm is { } km)
        {
            terms.Add((weights.Distance * Math.Exp(-km / options.DistanceScaleKm), DistanceText(km)));
        }

        var freeDay = FreeDay(candidate.StartsAt, viewer.Availability);
        terms.Add((weights.Availability * (freeDay is null ? 0 : 1),
            freeDay is null ? null : $"{freeDay} — you're usually free"));

        var popularity = Math.Min(1, Math.Log(1 + candidate.GoingCount) / Math.Log(1 + options.PopularityReference));
        terms.Add((weights.Popularity * popularity, $"{candidate.GoingCount} going"));

        var days = Math.Max(0, (candidate.StartsAt - now).TotalDays);
        terms.Add((weights.Soon * Math.Exp(-days / options.SoonScaleDays), StartsText(candidate.StartsAt, now)));

        var past = viewer.PastEventsByCategory.GetValueOrDefault(candidate.CategoryId);
        terms.Add((weights.Affinity * Math.Min(1, (double)past / options.AffinitySaturation),
            past == 0 ? null : $"You went to {past} {candidate.CategoryName} event{(past == 1 ? "" : "s")}"));

        var connections = viewer.ConnectionsGoing.GetValueOrDefault(candidate.Id);
        terms.Add((weights.Connections * Math.Min(1, connections / 3.0),
            connections == 0 ? null : $"{connections} {(connections == 1 ? "person" : "people")} you talk to going"));

        var friends = viewer.FriendsGoing.GetValueOrDefault(candidate.Id);
        terms.Add((weights.Friends * Math.Min(1, friends / 2.0),
            friends == 0 ? null : $"{friends} friend{(friends == 1 ? "" : "s")} going"));

        var reasons = terms.Where(term => term.Reason is not null)
            .OrderByDescending(term => term.Value)
            .Select(term => term.Reason!)
            .ToList();
        if (candidate.IsFull)
        {
            reasons.Add("Full — going puts you on the waitlist");
        }
        return new DiscoveryScore(Math.Round(terms.Sum(term => term.Value), 4), reasons);
    }

    /// <summary>The day the user said they are free that the event falls on (in UTC), as a person says it; null if none.</summary>
    public static string? FreeDay(DateTimeOffset startsAt, WeekendAvailability availability)
    {
        var utc = startsAt.UtcDateTime;
        var evening = utc.Hour >= EveningStartsAtHour;
        var slot = utc.Hour switch
        {
            >= 6 and < 12 => "morning",
            >= 12 and < 17 => "afternoon",
            >= 17 and < 22 => "evening",
            _ => "night",
        };
        if (availability.TimeSlots.Count > 0 && !availability.TimeSlots.Contains(slot))
        {
            return null;
        }
        var day = utc.DayOfWeek;
        foreach (var free in availability.Days)
        {
            switch (free)
            {
                case WeekendAvailability.Saturday when day == DayOfWeek.Saturday:
                    return "Saturday";
                case WeekendAvailability.Sunday when day == DayOfWeek.Sunday:
                    return "Sunday";
                case WeekendAvailability.FridayEvening when day == DayOfWeek.Friday && evening:
                    return "Friday evening";
                case WeekendAvailability.WeekdayEvenings when day is >= DayOfWeek.Monday and <= DayOfWeek.Thursday && evening:
                    return $"{day.ToString()} evening";
            }
        }
        return null;
    }

    private static string DistanceText(double km) => km < 1
        ? $"{Math.Round(km * 1000 / 50) * 50:0} m away"
        : string.Create(CultureInfo.InvariantCulture, $"{km:0.0} km away");

    private static string StartsText(DateTimeOffset startsAt, DateTimeOffset now)
    {
        var days = (startsAt.UtcDateTime.Date - now.UtcDateTime.Date).Days;
        return days switch
        {
            <= 0 => "Starts today",
            1 => "Starts tomorrow",
            < 7 => $"Starts {startsAt.UtcDateTime.DayOfWeek}",
            _ => $"Starts in {days} days",
        };
    }
}
