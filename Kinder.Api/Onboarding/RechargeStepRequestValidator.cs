using FluentValidation;
using Kinder.Api.Preferences;

namespace Kinder.Api.Onboarding;

public sealed class RechargeStepRequestValidator : AbstractValidator<RechargeStepRequest>
{
    public RechargeStepRequestValidator() =>
        RuleFor(request => request.Choice).Cascade(CascadeMode.Stop).NotEmpty()
            .Must(choice => PreferenceValidation.IsAllowed(choice, RechargeStepRequest.Choices))
            .WithMessage(PreferenceValidation.AllowedValues(RechargeStepRequest.Choices));
}
