using FluentValidation;
using Kinder.Api.Preferences;

namespace Kinder.Api.Onboarding;

public sealed class ReasonsStepRequestValidator : AbstractValidator<ReasonsStepRequest>
{
    public ReasonsStepRequestValidator() =>
        RuleFor(request => request.Reasons).NotNull().KnownReasons(requireOne: true);
}
