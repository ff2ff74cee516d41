using System.ComponentModel;
using Kinder.Core.Preferences;

namespace Kinder.Api.Preferences;

/// <summary>
/// <c>PUT /users/preferences</c>: each section given replaces that section whole (members left out take their
/// defaults); sections left out are unchanged.
/// </summary>
public sealed record UpdatePreferencesRequest(
    List<int>? Interests,
    NotificationSettings? Notifications,
    PrivacySettings? Privacy,
    LocationPreference? Location,
    [property: Description(Motivations.Description)] List<string>? Reasons,
    WeekendAvailability? Availability);
