namespace Kinder.Core.Preferences;

/// <summary>
/// One section of a user's preferences (user, key, value). The value is JSON (<c>jsonb</c>) whose shape the
/// key decides; <see cref="UserPreferenceStore"/> reads and writes them typed. A missing row means the defaults.
/// </summary>
public sealed class UserPreference
{
    public const int MaxKeyLength = 64;

    public required Guid UserId { get; init; }
    public required string Key { get; init; }
    public required string Value { get; set; }
    public DateTimeOffset UpdatedAt { get; set; } = DateTimeOffset.UtcNow;
}
