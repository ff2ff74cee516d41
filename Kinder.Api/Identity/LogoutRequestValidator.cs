using FluentValidation;

namespace Kinder.Api.Identity;

public sealed class LogoutRequestValidator : AbstractValidator<LogoutRequest>
{
    public LogoutRequestValidator() =>
        RuleFor(request => request.RefreshToken).MaximumLength(AuthRequestLimits.MaxTokenLength);
}
