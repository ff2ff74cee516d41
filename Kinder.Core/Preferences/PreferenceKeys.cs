namespace Kinder.Core.Preferences;

/// <summary>The keys of <c>user_preferences</c> rows; each names one typed section of <see cref="UserPreferences"/>.</summary>
public static class PreferenceKeys
{
    public const string Interests = "interests";
    public const string Notifications = "notifications";
    public const string Privacy = "privacy";
    public const string Location = "location";
    public const string Reasons = "reasons";
    public const string Availability = "availability";
}
