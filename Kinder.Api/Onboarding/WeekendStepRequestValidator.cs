using FluentValidation;
using Kinder.Api.Preferences;
using Kinder.Core.Preferences;

namespace Kinder.Api.Onboarding;

/// <summary>At least one day; no time slots means any time. Also checks the availability of the one-call save.</summary>
public sealed class WeekendStepRequestValidator : AbstractValidator<WeekendStepRequest>
{
    public WeekendStepRequestValidator()
    {
        RuleFor(request => request.Days).Cascade(CascadeMode.Stop).NotNull()
            .Must(days => days!.Count > 0).WithMessage("Choose at least one day.");
        RuleFor(request => request.Days).OneOf(WeekendAvailability.AllDays);
        RuleFor(request => request.TimeSlots).OneOf(WeekendAvailability.AllTimeSlots);
    }
}
