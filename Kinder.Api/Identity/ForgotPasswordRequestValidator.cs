using FluentValidation;

namespace Kinder.Api.Identity;

public sealed class ForgotPasswordRequestValidator : AbstractValidator<ForgotPasswordRequest>
{
    public ForgotPasswordRequestValidator() =>
        RuleFor(request => request.Email).NotEmpty().EmailAddress().MaximumLength(AuthRequestLimits.MaxEmailLength);
}
