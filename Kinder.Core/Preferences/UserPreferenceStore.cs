using System.Text.Json;
using Kinder.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Core.Preferences;

/// <summary>Typed access to <c>user_preferences</c>: a missing or unreadable section reads as its default.</summary>
public sealed class UserPreferenceStore(KinderDbContext db, TimeProvider time)
{
    private static readonly JsonSerializerOptions Json = JsonSerializerOptions.Web;

    public async Task<UserPreferences> GetAsync(Guid userId, CancellationToken cancellationToken)
    {
        var values = await db.UserPreferences.AsNoTracking()
            .Where(preference => preference.UserId == userId)
            .ToDictionaryAsync(preference => preference.Key, preference => preference.Value, cancellationToken);
        return new UserPreferences(
            Read<List<int>>(values, PreferenceKeys.Interests) ?? [],
            Read<NotificationSettings>(values, PreferenceKeys.Notifications) ?? new(),
            Read<PrivacySettings>(values, PreferenceKeys.Privacy) ?? new(),
            Read<LocationPreference>(values, PreferenceKeys.Location) ?? new(),
            Read<List<string>>(values, PreferenceKeys.Reasons) ?? [],
            Read<WeekendAvailability>(values, PreferenceKeys.Availability) ?? new());
    }

    public async Task<T> GetAsync<T>(Guid userId, string key, T defaultValue, CancellationToken cancellationToken)
    {
        var value = await db.UserPreferences.AsNoTracking()
            .Where(preference => preference.UserId == userId && preference.Key == key)
            .Select(preference => preference.Value)
            .FirstOrDefaultAsync(cancellationToken);
        return value is null ? defaultValue : Deserialize<T>(value) ?? defaultValue;
    }

    /// <summary>
    /// Replaces one section in the current unit of work; the caller saves. Callers hold the user's row lock
    /// (<see cref="Profiles.UserLocking"/>) so two first writes of one key cannot race.
    /// </summary>
    public async Task SetAsync<T>(Guid userId, string key, T value, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.Serialize(value, Json);
        var row = await db.UserPreferences.FindAsync([userId, key], cancellationToken);
        if (row is null)
        {
            db.UserPreferences.Add(new UserPreference { UserId = userId, Key = key, Value = json, UpdatedAt = time.GetUtcNow() });
        }
        else
        {
            row.Value = json;
            row.UpdatedAt = time.GetUtcNow();
        }
    }

    private static T? Read<T>(IReadOnlyDictionary<string, string> values, string key) =>
        values.TryGetValue(key, out var value) ? Deserialize<T>(value) : default;

    // A section written by an older shape must not break reading the rest: it falls back to the default.
    private static T? Deserialize<T>(string value)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(value, Json);
        }
        catch (JsonException)
        {
            return default;
        }
    }
}
