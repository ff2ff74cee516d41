using FluentValidation;
using Microsoft.Extensions.Options;

namespace Kinder.Api.Identity.Google;

public sealed class GoogleLoginRequestValidator : AbstractValidator<GoogleLoginRequest>
{
    public GoogleLoginRequestValidator(IOptions<GoogleOptions> options)
    {
        // Unconfigured, the handler answers 503 whatever the body says.
        RuleFor(request => request.RedirectUri)
            .Must(uri => options.Value.IsAllowedRedirectUri(uri!))
            .WithMessage("This redirect URI is not one the app registered.")
            .When(request => options.Value.IsConfigured && !string.IsNullOrEmpty(request.RedirectUri));
    }
}
