using FluentValidation;

namespace Kinder.Api.Identity;

public sealed class VerifyEmailRequestValidator : AbstractValidator<VerifyEmailRequest>
{
    public VerifyEmailRequestValidator() =>
        RuleFor(request => request.Token).NotEmpty().MaximumLength(AuthRequestLimits.MaxTokenLength);
}
