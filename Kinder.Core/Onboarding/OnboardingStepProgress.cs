namespace Kinder.Core.Onboarding;

/// <summary>
/// A step the user has finished or skipped; a step without a row is pending. What a step collects lives where it is
/// used (the profile on <c>users</c>, reasons and availability in preferences); <see cref="Data"/> holds only what
/// lives nowhere else — the recharge step's choice.
/// </summary>
public sealed class OnboardingStepProgress
{
    public const int MaxStepLength = 32;

    public required Guid UserId { get; init; }
    public required string Step { get; init; }
    public OnboardingStepState State { get; set; }

    /// <summary>JSON (<c>jsonb</c>), or null.</summary>
    public string? Data { get; set; }

    public DateTimeOffset UpdatedAt { get; set; } = DateTimeOffset.UtcNow;
}
