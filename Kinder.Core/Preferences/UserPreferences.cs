using System.ComponentModel;

namespace Kinder.Core.Preferences;

/// <summary>Everything a user has set, each section at its default until they change it.</summary>
public sealed record UserPreferences(
    IReadOnlyList<int> Interests,
    NotificationSettings Notifications,
    PrivacySettings Privacy,
    LocationPreference Location,
    IReadOnlyList<string> Reasons,
    WeekendAvailability Availability);

/// <summary>What a user wants to be told about, per channel.</summary>
public sealed record NotificationSettings
{
    public NotificationChannelSettings Push { get; init; } = new();

    // Email is for what should not be missed; the chattier kinds stay in the app unless asked for.
    public NotificationChannelSettings Email { get; init; } = new() { Messages = false, FriendRequests = false };
}

/// <summary>One channel's toggles, per kind of notification. Product news is opt-in.</summary>
public sealed record NotificationChannelSettings
{
    public bool EventReminders { get; init; } = true;
    public bool EventUpdates { get; init; } = true;
    public bool Messages { get; init; } = true;
    public bool FriendRequests { get; init; } = true;
    public bool ProductNews { get; init; }
}

/// <summary>What others see of the user's public profile (<c>GET /users/{id}</c>).</summary>
public sealed record PrivacySettings
{
    public const string Everyone = "everyone";
    public const string Nobody = "nobody";
    public static readonly IReadOnlyList<string> Visibilities = [Everyone, Nobody];
    public const string VisibilitiesDescription = "everyone | nobody";

    /// <summary><c>everyone</c> (any signed-in user) or <c>nobody</c> (the profile is not found by others).</summary>
    [Description(VisibilitiesDescription)]
    public string ProfileVisibility { get; init; } = Everyone;
    public bool ShowCity { get; init; } = true;
    public bool ShowInterests { get; init; } = true;
    public bool ShowAge { get; init; }
}

/// <summary>How far from the user's location discovery looks.</summary>
public sealed record LocationPreference
{
    public const int MinRadiusKm = 1;
    public const int MaxRadiusKm = 500;

    public int RadiusKm { get; init; } = 25;
}

/// <summary>When the user is free for events (onboarding's weekend step); empty means not said.</summary>
public sealed record WeekendAvailability
{
    public const string FridayEvening = "friday_evening";
    public const string Saturday = "saturday";
    public const string Sunday = "sunday";
    public const string WeekdayEvenings = "weekday_evenings";
    public static readonly IReadOnlyList<string> AllDays = [FridayEvening, Saturday, Sunday, WeekdayEvenings];
    public static readonly IReadOnlyList<string> AllTimeSlots = ["morning", "afternoon", "evening", "night"];
    public const string DaysDescription = "friday_evening | saturday | sunday | weekday_evenings";
    public const string TimeSlotsDescription = "morning | afternoon | evening | night; empty means any time";

    [Description(DaysDescription)]
    public IReadOnlyList<string> Days { get; init; } = [];

    /// <summary>Parts of the day; empty means any time on the chosen days.</summary>
    [Description(TimeSlotsDescription)]
    public IReadOnlyList<string> TimeSlots { get; init; } = [];
}

/// <summary>Why people use Kinder (onboarding's reasons step), a fixed set.</summary>
public static class Motivations
{
    public static readonly IReadOnlyList<string> All =
    [
        "meet_new_people", "make_friends", "try_new_things", "explore_my_city",
        "stay_active", "grow_my_network", "learn_skills", "give_back",
    ];

    public const string Description = "meet_new_people | make_friends | try_new_things | explore_my_city | stay_active | "
        + "grow_my_network | learn_skills | give_back";
}
