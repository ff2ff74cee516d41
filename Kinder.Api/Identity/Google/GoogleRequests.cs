namespace Kinder.Api.Identity.Google;

/// <param name="RedirectUri">Where the callback sends the browser with the tokens; must be on <c>Google:AllowedRedirectUris</c>.
/// Without it the callback answers the session as JSON.</param>
public sealed record GoogleLoginRequest(string? RedirectUri);

public sealed record GoogleLoginResponse(string AuthorizationUrl);

/// <param name="IdToken">The ID token Google's native sign-in gave the app (audience: our web client id).</param>
public sealed record GoogleTokenRequest(string IdToken);
