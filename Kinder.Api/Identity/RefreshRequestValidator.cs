using FluentValidation;

namespace Kinder.Api.Identity;

public sealed class RefreshRequestValidator : AbstractValidator<RefreshRequest>
{
    public RefreshRequestValidator() =>
        RuleFor(request => request.RefreshToken).MaximumLength(AuthRequestLimits.MaxTokenLength);
}
