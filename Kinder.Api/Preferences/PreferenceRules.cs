using Kinder.Core.Preferences;

namespace Kinder.Api.Preferences;

/// <summary>How valid preference sections are stored, shared by the preferences and onboarding endpoints.</summary>
public static class PreferenceRules
{
    /// <summary>Lower-cased, de-duplicated, in the order given: how chosen values are stored.</summary>
    public static List<string> Normalize(IEnumerable<string> values) =>
        values.Select(value => value.Trim().ToLowerInvariant()).Distinct().ToList();

    public static WeekendAvailability Normalize(WeekendAvailability availability) => new()
    {
        Days = Normalize(availability.Days),
        TimeSlots = Normalize(availability.TimeSlots),
    };
}
