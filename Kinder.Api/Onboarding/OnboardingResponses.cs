using Kinder.Core.Interests;
using Kinder.Core.Onboarding;

namespace Kinder.Api.Onboarding;

public sealed record InterestResponse(int Id, string Slug, string Name, string Group, string GroupName)
{
    public static InterestResponse From(Interest interest) => new(interest.Id, interest.Slug, interest.Name,
        interest.Group, InterestGroups.Names.GetValueOrDefault(interest.Group, interest.Group));
}

public sealed record OnboardingStepStatus(string Name, OnboardingStepState State, bool Optional);

/// <summary><c>GET /users/onboarding/status</c>: every step in order; <c>nextStep</c> is the first pending one.</summary>
public sealed record OnboardingStatusResponse(
    IReadOnlyList<OnboardingStepStatus> Steps,
    bool Completed,
    DateTimeOffset? CompletedAt,
    string? NextStep)
{
    public static OnboardingStatusResponse From(IReadOnlyDictionary<string, OnboardingStepState> states,
        DateTimeOffset? completedAt)
    {
        var steps = OnboardingSteps.All
            .Select(step => new OnboardingStepStatus(step.Name,
                states.GetValueOrDefault(step.Name, OnboardingStepState.Pending), step.Optional))
            .ToList();
        var next = steps.FirstOrDefault(step => step.State == OnboardingStepState.Pending)?.Name;
        return new OnboardingStatusResponse(steps, completedAt is not null, completedAt, next);
    }
}
