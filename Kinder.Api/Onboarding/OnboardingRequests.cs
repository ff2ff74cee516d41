using System.ComponentModel.DataAnnotations;

namespace Kinder.Api.Onboarding;

/// <summary>The reasons step: why the user is here, at least one of the fixed motivations.</summary>
public sealed record ReasonsStepRequest([property: Required] List<string>? Reasons);

/// <summary>The weekend step: when the user is free — at least one day; no time slot means any time.</summary>
public sealed record WeekendStepRequest([property: Required] List<string>? Days, List<string>? TimeSlots);

/// <summary>The recharge step: what the user chose about premium credits; only recorded here.</summary>
public sealed record RechargeStepRequest([property: Required] string? Choice)
{
    public static readonly IReadOnlyList<string> Choices = ["not_now", "buy_credits", "subscribe"];
}

/// <summary><c>POST /onboarding/preferences</c>: interests, motivations and availability in one call.</summary>
public sealed record OnboardingPreferencesRequest(
    [property: Required] List<int>? InterestIds,
    List<string>? Reasons,
    WeekendStepRequest? Availability);
