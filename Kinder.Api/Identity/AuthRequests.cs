using System.ComponentModel.DataAnnotations;
using Kinder.Core.Identity;

namespace Kinder.Api.Identity;

public sealed record RegisterRequest(
    [property: Required, EmailAddress, StringLength(254)] string Email,
    [property: Required, PasswordPolicy] string Password,
    [property: Required, StringLength(UserEntityTypeConfiguration.MaxDisplayNameLength)] string DisplayName);

public sealed record LoginRequest(
    [property: Required, StringLength(254)] string Email,
    [property: Required, StringLength(1024)] string Password);

/// <summary>The body is optional: in cookie mode the refresh token comes from the cookie.</summary>
public sealed record RefreshRequest([property: StringLength(200)] string? RefreshToken);

public sealed record LogoutRequest([property: StringLength(200)] string? RefreshToken);

public sealed record VerifyEmailRequest([property: Required, StringLength(200)] string Token);

public sealed record ForgotPasswordRequest([property: Required, EmailAddress, StringLength(254)] string Email);

public sealed record ResetPasswordRequest(
    [property: Required, StringLength(200)] string Token,
    [property: Required, PasswordPolicy] string NewPassword);
