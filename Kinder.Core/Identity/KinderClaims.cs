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

    /// <summary>When the token was issued, in Unix seconds (JWT's <c>iat</c>): what a token without <c>iat_ms</c> has.</summary>
    public const string IssuedAt = "iat";

    /// <summary>The signed-in user's id. Only call on an authenticated principal.</summary>
    public static Guid GetUserId(this ClaimsPrincipal principal) =>
        Guid.TryParse(principal.FindFirstValue(Subject), out var id)
            ? id
            : throw new InvalidOperationException("The principal carries no user id (sub).");

    public static bool IsEmailVerified(this ClaimsPrincipal principal) =>
        string.Equals(principal.FindFirstValue(EmailVerified), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>What a hub connection reads of its principal: who (sub), when the token was issued (a per-user cut-off
    /// closes connections by it), and the verification and roles that every invocation brings up to date.</summary>
    private static readonly HashSet<string> ReadByHubConnections = [Subject, IssuedAtMilliseconds, IssuedAt, EmailVerified, Role];

    /// <summary>
    /// The principal a hub connection keeps for as long as its WebSocket lives: a plain identity with only the claims
    /// the connection reads (<see cref="ReadByHubConnections"/>), not the validated one, which also keeps the parsed
    /// token (its JSON and a second set of claims) and the claims nothing reads there (jti, email, name, iss, aud, exp,
    /// nbf) — about 1 KB a connection. The connection's expiry comes from the authentication ticket, not a claim.
    /// </summary>
    public static ClaimsPrincipal ForHubConnection(ClaimsPrincipal principal)
    {
        var identity = (ClaimsIdentity)principal.Identity!;
        return new ClaimsPrincipal(new ClaimsIdentity(identity.Claims.Where(claim => ReadByHubConnections.Contains(claim.Type)),
            identity.AuthenticationType, identity.NameClaimType, identity.RoleClaimType));
    }
}
