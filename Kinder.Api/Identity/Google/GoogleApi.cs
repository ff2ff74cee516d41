using System.Security.Cryptography;
using System.Text;
using Kinder.Api.Infrastructure;
using Kinder.Core;
using Kinder.Core.Moderation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;

namespace Kinder.Api.Identity.Google;

/// <summary>
/// Google sign-in: the authorization-code flow with state, nonce and PKCE kept server-side for
/// browsers, and ID-token sign-in for the native apps. Both end in <see cref="SessionIssuer.StartAsync"/>.
/// </summary>
public static class GoogleApi
{
    public const string CallbackRouteName = "GoogleCallback";

    /// <summary>
    /// Redirect mode's binding cookie: set on the browser that starts the sign-in, required by the callback, so a
    /// callback URL planted in someone else's browser (login CSRF) signs no one in there.
    /// </summary>
    public const string BindingCookie = "kinder_google_binding";
    private const string BindingCookiePath = "/api/v1/auth/google";

    public static IEndpointRouteBuilder MapGoogleAuthApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/auth/google").WithTags("Auth");
        // Answers carry tokens (or lead to them): no cache may keep one (RFC 6749 §5.1).
        group.AddEndpointFilter(async (context, next) =>
        {
            context.HttpContext.Response.Headers.CacheControl = "no-store";
            return await next(context);
        });

        group.MapPost("/login", Login)
            .WithName("GoogleLogin")
            .WithSummary("Start a Google sign-in: the URL to send the browser to.")
            .WithDescription("State, nonce and the PKCE (S256) verifier stay on the server for 10 minutes, usable once. " +
                "An optional `redirectUri` (exactly one of `Google:AllowedRedirectUris`) makes the callback redirect there " +
                "instead of answering JSON; the sign-in is then bound to this browser by an HttpOnly, Secure, SameSite=Lax " +
                "cookie (`kinder_google_binding`) that the callback requires.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        group.MapGet("/callback", Callback)
            .WithName(CallbackRouteName)
            .WithSummary("Google's redirect after sign-in: exchanges the code, signs in or creates the user, issues tokens.")
            .WithDescription("Answers `200 { user, accessToken, refreshToken, expiresIn }`, or, when the sign-in was " +
                "started with a `redirectUri`, `302` to it with `#accessToken=…&expiresIn=…&tokenType=Bearer&csrfToken=…`: " +
                "the refresh token is never in the URL but in the cookie-mode HttpOnly cookie (`kinder_refresh`, " +
                "refreshed with the `X-CSRF-Token` header). " +
                "Failures: `400 INVALID_STATE` (unknown, used or expired state, or, in redirect mode, not the browser " +
                "that started the sign-in), `400 GOOGLE_SIGN_IN_FAILED` (Google " +
                "reported an error or refused the code), `401 INVALID_ID_TOKEN`, `403 GOOGLE_EMAIL_NOT_VERIFIED`, " +
                "`403 ACCOUNT_DELETED`, `409 GOOGLE_ACCOUNT_CONFLICT`, `502 GOOGLE_UNAVAILABLE`.")
            .Produces(StatusCodes.Status302Found)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status502BadGateway)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        group.MapPost("/token", SignInWithIdToken)
            .WithName("GoogleToken")
            .WithSummary("Native sign-in: exchange an ID token from Google's mobile SDK for Kinder tokens.")
            .WithDescription("The ID token is checked like the callback's (signature against Google's keys, issuer, " +
                "audience = our client id, expiry, `email_verified`). Failures: `401 INVALID_ID_TOKEN`, " +
                "`403 GOOGLE_EMAIL_NOT_VERIFIED`, `403 ACCOUNT_DELETED`, `409 GOOGLE_ACCOUNT_CONFLICT`, `502 GOOGLE_UNAVAILABLE`.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status502BadGateway)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        return app;
    }

    public static async Task<Results<Ok<GoogleLoginResponse>, ValidationProblem, ProblemHttpResult>> Login(
        GoogleLoginRequest? request, HttpContext http, [AsParameters] GoogleServices services)
    {
        var google = services.Options.Value;
        if (!google.IsConfigured)
        {
            return NotConfigured();
        }
        var redirectUri = string.IsNullOrEmpty(request?.RedirectUri) ? null : request.RedirectUri;

        var callbackUri = google.CallbackUri?.ToString()
            ?? services.Links.GetUriByName(http, CallbackRouteName, values: null)
            ?? throw new InvalidOperationException("The Google callback route has no URL.");
        string? binding = null;
        if (redirectUri is not null)
        {
            binding = GoogleSignInStates.RandomValue();
            http.Response.Cookies.Append(BindingCookie, binding, new CookieOptions
            {
                HttpOnly = true,
                Secure = true,
                // Lax: the callback is a top-level navigation coming back from Google, which Strict would strip.
                SameSite = SameSiteMode.Lax,
                Path = BindingCookiePath,
                MaxAge = google.StateLifetime,
                IsEssential = true,
            });
        }
        var signIn = new GoogleSignInState(GoogleSignInStates.RandomValue(), GoogleSignInStates.RandomValue(), callbackUri,
            redirectUri, binding is null ? null : GoogleSignInStates.BindingHash(binding));
        var state = await services.States.StartAsync(signIn);

        var authorizationUrl = QueryHelpers.AddQueryString(google.AuthorizationEndpoint.ToString(), new Dictionary<string, string?>
        {
            ["response_type"] = "code",
            ["client_id"] = google.ClientId,
            ["redirect_uri"] = callbackUri,
            ["scope"] = google.Scope,
            ["state"] = state,
            ["nonce"] = signIn.Nonce,
            ["code_challenge"] = GoogleSignInStates.CodeChallenge(signIn.CodeVerifier),
            ["code_challenge_method"] = "S256",
        });
        return TypedResults.Ok(new GoogleLoginResponse(authorizationUrl));
    }

    public static async Task<Results<Ok<AuthSessionResponse>, RedirectHttpResult, ProblemHttpResult>> Callback(
        string? code, string? state, string? error, [FromQuery(Name = "error_description")] string? errorDescription,
        HttpContext http, [AsParameters] GoogleServices services, CancellationToken cancellationToken)
    {
        if (!services.Options.Value.IsConfigured)
        {
            return NotConfigured();
        }
        // Taken (and so used up) first: whatever happens next, this state cannot be played again.
        var signIn = string.IsNullOrEmpty(state) ? null : await services.States.TakeAsync(state);
        if (signIn is null)
        {
            return Problems.Create(StatusCodes.Status400BadRequest, ErrorCodes.InvalidState,
                "This sign-in is unknown, was already used or has expired. Start again.", "Google sign-in failed.");
        }
        if (signIn.BrowserBinding is not null)
        {
            var cookie = http.Request.Cookies[BindingCookie];
            http.Response.Cookies.Delete(BindingCookie, new CookieOptions
            {
                HttpOnly = true, Secure = true, SameSite = SameSiteMode.Lax, Path = BindingCookiePath,
            });
            if (string.IsNullOrEmpty(cookie) || !CryptographicOperations.FixedTimeEquals(
                    Encoding.ASCII.GetBytes(GoogleSignInStates.BindingHash(cookie)), Encoding.ASCII.GetBytes(signIn.BrowserBinding)))
            {
                return Problems.Create(StatusCodes.Status400BadRequest, ErrorCodes.InvalidState,
                    "This sign-in was started in another browser. Start again.", "Google sign-in failed.");
            }
        }
        if (!string.IsNullOrEmpty(error) || string.IsNullOrEmpty(code))
        {
            return Problems.Create(StatusCodes.Status400BadRequest, ErrorCodes.GoogleSignInFailed,
                string.IsNullOrEmpty(error)
                    ? "Google sent no authorization code."
                    : $"Google reported {error}{(string.IsNullOrEmpty(errorDescription) ? "" : $": {errorDescription}")}.",
                "Google sign-in failed.");
        }

        var exchange = await services.TokenClient.ExchangeCodeAsync(code, signIn, cancellationToken);
        if (exchange.Error is not null)
        {
            return exchange.Error.ToProblem();
        }
        var signedIn = await SignInAsync(exchange.IdToken!, signIn.Nonce, services, cancellationToken);
        if (signedIn.Problem is not null)
        {
            return signedIn.Problem;
        }
        if (signIn.RedirectUri is null)
        {
            return TypedResults.Ok(signedIn.Session);
        }

        // The fragment never reaches a server (not ours, not a proxy's logs); the app reads it in the browser. It still
        // stays in the history, so the long-lived refresh token goes into the cookie mode's HttpOnly cookie instead.
        var session = services.Cookies.ForClient(http.Response, signedIn.Session!, useCookies: true);
        var fragment = QueryString.Create(new Dictionary<string, string?>
        {
            ["accessToken"] = session.AccessToken,
            ["expiresIn"] = session.ExpiresIn.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["tokenType"] = "Bearer",
            ["csrfToken"] = session.CsrfToken,
        });
        return TypedResults.Redirect($"{signIn.RedirectUri}#{fragment.Value![1..]}");
    }

    public static async Task<Results<Ok<AuthSessionResponse>, ProblemHttpResult>> SignInWithIdToken(
        GoogleTokenRequest request, [AsParameters] GoogleServices services, CancellationToken cancellationToken)
    {
        if (!services.Options.Value.IsConfigured)
        {
            return NotConfigured();
        }
        var signedIn = await SignInAsync(request.IdToken, expectedNonce: null, services, cancellationToken);
        return signedIn.Problem is null ? TypedResults.Ok(signedIn.Session) : signedIn.Problem;
    }

    private sealed record SignInResult(AuthSessionResponse? Session, ProblemHttpResult? Problem);

    private static async Task<SignInResult> SignInAsync(string idToken, string? expectedNonce, GoogleServices services,
        CancellationToken cancellationToken)
    {
        var validated = await services.IdTokens.ValidateAsync(idToken, expectedNonce, cancellationToken);
        if (validated.Error is not null)
        {
            return await FailedAsync(validated.Error, services, cancellationToken);
        }
        var account = await services.Accounts.SignInAsync(validated.Identity!, cancellationToken);
        if (account.Error is not null)
        {
            return await FailedAsync(account.Error, services, cancellationToken);
        }
        var user = account.User!;
        // Refused as a password sign-in is: the same code and end date, audited.
        if (user.BannedAt is not null || user.SuspendedUntil > services.Time.GetUtcNow())
        {
            services.Audit.Record(AuditActions.SignInRefusedSuspended, user.Id, AuditTargets.User, user.Id,
                new { method = "google" });
            await services.Db.SaveChangesAsync(cancellationToken);
            return new SignInResult(null, Problems.Suspended(user.BannedAt is null ? user.SuspendedUntil : null));
        }
        // Committed with the session's refresh token (StartAsync saves).
        services.Audit.Record(AuditActions.SignIn, user.Id, AuditTargets.User, user.Id, new { method = "google" });
        return new SignInResult(await services.Sessions.StartAsync(user, cancellationToken), null);
    }

    private static async Task<SignInResult> FailedAsync(GoogleSignInError error, GoogleServices services,
        CancellationToken cancellationToken)
    {
        services.Audit.Record(AuditActions.SignInFailed, null, data: new { method = "google", code = error.Code });
        await services.Db.SaveChangesAsync(cancellationToken);
        return new SignInResult(null, error.ToProblem());
    }

    private static ProblemHttpResult NotConfigured() => Problems.Create(StatusCodes.Status503ServiceUnavailable,
        ErrorCodes.ServiceUnavailable, "Google sign-in is not configured on this server.");
}
