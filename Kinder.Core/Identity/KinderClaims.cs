using System.Security.Claims;

namespace Kinder.Core.Identity;

/// <summary>Claim names in our access tokens (JWT registered names, not the long WS-* URIs).</summary>
public static class KinderClaims
{
    public const string Subject = "sub";
    public const string TokenId = "jti";
    public const string Role = "role";
    public const string Email = "email";
    public const string EmailVerified = "email_verified";
    public const string Name = "name";

    /// <summary>
    /// When the token was issued, in Unix milliseconds: finer than <c>iat</c>'s whole seconds, so a per-user cut-off
    /// refuses the tokens issued before it and never the fresh session started right after it.
    /// </summary>
    public const string IssuedAtMilliseconds = "iat_ms";

    /// <summary>The signed-in user's id. Only call on an authenticated principal.</summary>
    public static Guid GetUserId(this ClaimsPrincipal principal) =>
        Guid.TryParse(principal.FindFirstValue(Subject), out var id)
            ? id
            : throw new InvalidOperationException("The principal carries no user id (sub).");

    public static bool IsEmailVerified(this ClaimsPrincipal principal) =>
        string.Equals(principal.FindFirstValue(EmailVerified), "true", StringComparison.OrdinalIgnoreCase);
}
