using FluentValidation;
using Kinder.Core.Validation;
using Kinder.Core.Identity;

namespace Kinder.Api.Identity;

public sealed class RegisterRequestValidator : AbstractValidator<RegisterRequest>
{
    public RegisterRequestValidator()
    {
        RuleFor(request => request.Email).NotEmpty().EmailAddress().MaximumLength(AuthRequestLimits.MaxEmailLength);
        RuleFor(request => request.Password).MeetsPasswordPolicy();
        RuleFor(request => request.DisplayName).NotEmpty().MaximumLength(UserEntityTypeConfiguration.MaxDisplayNameLength)
            .PlainName();
    }
}
