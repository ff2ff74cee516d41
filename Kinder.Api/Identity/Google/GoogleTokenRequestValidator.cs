using FluentValidation;

namespace Kinder.Api.Identity.Google;

public sealed class GoogleTokenRequestValidator : AbstractValidator<GoogleTokenRequest>
{
    public GoogleTokenRequestValidator() => RuleFor(request => request.IdToken).NotEmpty();
}
