using FluentValidation;
using Kinder.Api.Preferences;
using Kinder.Core.Data;

namespace Kinder.Api.Onboarding;

public sealed class OnboardingPreferencesRequestValidator : AbstractValidator<OnboardingPreferencesRequest>
{
    public OnboardingPreferencesRequestValidator(KinderDbContext db)
    {
        RuleFor(request => request.InterestIds).NotNull().KnownInterests(db, requireOne: true);
        RuleFor(request => request.Reasons).KnownReasons(requireOne: true);
        RuleFor(request => request.Availability!).SetValidator(new WeekendStepRequestValidator())
            .When(request => request.Availability is not null);
    }
}
