using FluentValidation;

namespace Kinder.Api.Identity;

public sealed class LoginRequestValidator : AbstractValidator<LoginRequest>
{
    /// <summary>Far beyond any password the policy lets in; bounds what a login may ask of the hasher.</summary>
    private const int MaxPasswordLength = 1024;

    public LoginRequestValidator()
    {
        RuleFor(request => request.Email).NotEmpty().MaximumLength(AuthRequestLimits.MaxEmailLength);
        RuleFor(request => request.Password).NotEmpty().MaximumLength(MaxPasswordLength);
    }
}
