using FluentValidation;

namespace Kinder.Api.Identity;

public sealed class ResetPasswordRequestValidator : AbstractValidator<ResetPasswordRequest>
{
    public ResetPasswordRequestValidator()
    {
        RuleFor(request => request.Token).NotEmpty().MaximumLength(AuthRequestLimits.MaxTokenLength);
        RuleFor(request => request.NewPassword).MeetsPasswordPolicy();
    }
}
