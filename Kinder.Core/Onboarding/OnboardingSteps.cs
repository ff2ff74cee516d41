namespace Kinder.Core.Onboarding;

public sealed record OnboardingStepDefinition(string Name, bool Optional);

/// <summary>The onboarding flow, in the order clients show it.</summary>
public static class OnboardingSteps
{
    public const string Welcome = "welcome";
    public const string Profile = "profile";
    public const string Reasons = "reasons";
    public const string Weekend = "weekend";
    public const string Recharge = "recharge";

    public static readonly IReadOnlyList<OnboardingStepDefinition> All =
    [
        new(Welcome, Optional: false),
        new(Profile, Optional: false),
        new(Reasons, Optional: true),
        new(Weekend, Optional: true),
        new(Recharge, Optional: true),
    ];

    public static OnboardingStepDefinition? Find(string name) =>
        All.FirstOrDefault(step => string.Equals(step.Name, name, StringComparison.Ordinal));

    /// <summary>Complete when every required step is done and every optional one done or skipped.</summary>
    public static bool IsComplete(IReadOnlyDictionary<string, OnboardingStepState> states) =>
        All.All(step => states.TryGetValue(step.Name, out var state) &&
            (state == OnboardingStepState.Done || (step.Optional && state == OnboardingStepState.Skipped)));
}

public enum OnboardingStepState
{
    Pending,
    Done,
    Skipped,
}
