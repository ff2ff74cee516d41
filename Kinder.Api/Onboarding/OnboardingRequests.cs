using System.ComponentModel;
using Kinder.Core.Preferences;

namespace Kinder.Api.Onboarding;

/// <summary>The reasons step: why the user is here, at least one of the fixed motivations.</summary>
public sealed record ReasonsStepRequest([property: Description(Motivations.Description)] List<string>? Reasons);

/// <summary>The weekend step: when the user is free — at least one day; no time slot means any time.</summary>
public sealed record WeekendStepRequest(
    [property: Description(WeekendAvailability.DaysDescription)] List<string>? Days,
    [property: Description(WeekendAvailability.TimeSlotsDescription)] List<string>? TimeSlots);

/// <summary>The recharge step: what the user chose about premium credits; only recorded here.</summary>
public sealed record RechargeStepRequest([property: Description(RechargeStepRequest.ChoicesDescription)] string? Choice)
{
    public const string ChoicesDescription = "not_now | buy_credits | subscribe";
    public static readonly IReadOnlyList<string> Choices = ["not_now", "buy_credits", "subscribe"];
}

/// <summary><c>POST /onboarding/preferences</c>: interests, motivations and availability in one call.</summary>
public sealed record OnboardingPreferencesRequest(
    List<int>? InterestIds,
    [property: Description(Motivations.Description)] List<string>? Reasons,
    WeekendStepRequest? Availability);
