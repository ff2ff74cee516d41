using Kinder.Api.Infrastructure;
using Kinder.Core.Data;
using Kinder.Core.Preferences;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Api.Preferences;

/// <summary>Validation of preference sections, shared by the preferences and onboarding endpoints.</summary>
public static class PreferenceRules
{
    public const int MaxInterests = 50;

    public static async Task ValidateInterestsAsync(KinderDbContext db, IReadOnlyList<int> ids, string field,
        bool requireOne, FieldErrors errors, CancellationToken cancellationToken)
    {
        if (requireOne && ids.Count == 0)
        {
            errors.Add(field, "Choose at least one interest.");
            return;
        }
        var distinct = ids.Distinct().ToList();
        if (distinct.Count > MaxInterests)
        {
            errors.Add(field, $"Choose at most {MaxInterests} interests.");
            return;
        }
        var known = await db.Interests.AsNoTracking().Where(interest => distinct.Contains(interest.Id))
            .Select(interest => interest.Id).ToListAsync(cancellationToken);
        var unknown = distinct.Except(known).ToList();
        if (unknown.Count > 0)
        {
            errors.Add(field, $"Unknown interest ids: {string.Join(", ", unknown)}.");
        }
    }

    public static void ValidateReasons(IReadOnlyList<string?> reasons, string field, bool requireOne, FieldErrors errors)
    {
        if (requireOne && reasons.Count == 0)
        {
            errors.Add(field, "Choose at least one reason.");
        }
        ValidateChoices(reasons, Motivations.All, field, errors);
    }

    public static void ValidateAvailability(WeekendAvailability availability, string field, bool requireDay,
        FieldErrors errors)
    {
        if (availability.Days is null || availability.TimeSlots is null)
        {
            errors.Add(Member(field, availability.Days is null ? "days" : "timeSlots"), "Must be a list.");
            return;
        }
        if (requireDay && availability.Days.Count == 0)
        {
            errors.Add(Member(field, "days"), "Choose at least one day.");
        }
        ValidateChoices(availability.Days, WeekendAvailability.AllDays, Member(field, "days"), errors);
        ValidateChoices(availability.TimeSlots, WeekendAvailability.AllTimeSlots, Member(field, "timeSlots"), errors);
    }

    public static void ValidateNotifications(NotificationSettings notifications, string field, FieldErrors errors)
    {
        if (notifications.Push is null)
        {
            errors.Add($"{field}.push", "Must be an object.");
        }
        if (notifications.Email is null)
        {
            errors.Add($"{field}.email", "Must be an object.");
        }
    }

    public static void ValidatePrivacy(PrivacySettings privacy, string field, FieldErrors errors) =>
        ValidateChoices([privacy.ProfileVisibility], PrivacySettings.Visibilities, $"{field}.profileVisibility", errors);

    public static void ValidateLocation(LocationPreference location, string field, FieldErrors errors)
    {
        if (location.RadiusKm is < LocationPreference.MinRadiusKm or > LocationPreference.MaxRadiusKm)
        {
            errors.Add($"{field}.radiusKm",
                $"Must be between {LocationPreference.MinRadiusKm} and {LocationPreference.MaxRadiusKm}.");
        }
    }

    /// <summary>Lower-cased, de-duplicated, in the order given: how chosen values are stored.</summary>
    public static List<string> Normalize(IEnumerable<string> values) =>
        values.Select(value => value.Trim().ToLowerInvariant()).Distinct().ToList();

    public static WeekendAvailability Normalize(WeekendAvailability availability) => new()
    {
        Days = Normalize(availability.Days),
        TimeSlots = Normalize(availability.TimeSlots),
    };

    /// <summary>A member's field name under <paramref name="field"/>; an empty field means the body itself.</summary>
    private static string Member(string field, string member) => field.Length == 0 ? member : $"{field}.{member}";

    private static void ValidateChoices(IEnumerable<string?> values, IReadOnlyList<string> allowed, string field,
        FieldErrors errors)
    {
        var invalid = values.Where(value => value is null || !allowed.Contains(value.Trim().ToLowerInvariant())).ToList();
        if (invalid.Count > 0)
        {
            errors.Add(field, $"Allowed values: {string.Join(", ", allowed)}.");
        }
    }
}
