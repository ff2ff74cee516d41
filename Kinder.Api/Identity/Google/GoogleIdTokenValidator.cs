using Kinder.Core;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Kinder.Api.Identity.Google;

/// <summary>Who Google says signed in: the stable subject, and an email Google has verified.</summary>
public sealed record GoogleIdentity(string Subject, string Email, string? Name);

/// <summary>
/// Validates Google ID tokens: RS256 signature against Google's published keys, issuer (either spelling), audience
/// (our client id), expiry, the sign-in's nonce when there is one, and <c>email_verified</c>.
/// </summary>
/// <remarks>
/// Built on Microsoft.IdentityModel (already here with JwtBearer) rather than Google.Apis.Auth: Google's
/// <c>GoogleJsonWebSignature.ValidateAsync</c> fetches keys from a fixed Google URL and checks a fixed issuer, so it
/// could not be pointed at the fake provider the tests use. Here the keys URL and issuers are plain configuration.
/// </remarks>
public sealed class GoogleIdTokenValidator(GoogleSigningKeys signingKeys, IOptions<GoogleOptions> options,
    ILogger<GoogleIdTokenValidator> logger)
{
    public sealed record Result(GoogleIdentity? Identity, GoogleSignInError? Error);

    private readonly JsonWebTokenHandler _handler = new();

    /// <param name="expectedNonce">The nonce the sign-in sent to Google (code flow); null for tokens apps hand us.</param>
    public async Task<Result> ValidateAsync(string idToken, string? expectedNonce, CancellationToken cancellationToken)
    {
        if (!_handler.CanReadToken(idToken))
        {
            return Invalid("The ID token is not a JWT.");
        }

        IReadOnlyList<SecurityKey> keys;
        try
        {
            keys = await signingKeys.GetAsync(cancellationToken);
            var keyId = _handler.ReadJsonWebToken(idToken).Kid;
            if (!string.IsNullOrEmpty(keyId) && keys.All(key => key.KeyId != keyId))
            {
                keys = await signingKeys.RefreshForUnknownKeyAsync(cancellationToken); // Google may have rotated its keys
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(exception, "Google's signing keys could not be fetched");
            return new Result(null, new GoogleSignInError(StatusCodes.Status502BadGateway, ErrorCodes.GoogleUnavailable,
                "Google's signing keys could not be fetched to check the sign-in. Try again."));
        }

        var google = options.Value;
        var validation = await _handler.ValidateTokenAsync(idToken, new TokenValidationParameters
        {
            ValidIssuers = google.ValidIssuers,
            ValidAudience = google.ClientId,
            IssuerSigningKeys = keys,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            ClockSkew = google.ClockSkew,
        });
        if (!validation.IsValid)
        {
            logger.LogInformation("Refused a Google ID token: {Reason}", validation.Exception?.Message);
            return Invalid(Describe(validation.Exception));
        }

        var token = (JsonWebToken)validation.SecurityToken;
        if (expectedNonce is not null && (!token.TryGetPayloadValue<string>("nonce", out var nonce) || nonce != expectedNonce))
        {
            return Invalid("The ID token's nonce does not belong to this sign-in.");
        }
        if (string.IsNullOrEmpty(token.Subject))
        {
            return Invalid("The ID token names no subject.");
        }
        if (!token.TryGetPayloadValue<string>("email", out var email) || string.IsNullOrWhiteSpace(email))
        {
            return Invalid("The ID token carries no email; ask for the email scope.");
        }
        if (!IsEmailVerified(token))
        {
            return new Result(null, new GoogleSignInError(StatusCodes.Status403Forbidden, ErrorCodes.GoogleEmailNotVerified,
                "Google has not verified this account's email address, so it cannot sign in to Kinder."));
        }
        token.TryGetPayloadValue<string>("name", out var name);
        return new Result(new GoogleIdentity(token.Subject, email, string.IsNullOrWhiteSpace(name) ? null : name.Trim()), null);
    }

    /// <summary>Google sends a JSON boolean; some older tokens carried the string "true".</summary>
    private static bool IsEmailVerified(JsonWebToken token)
    {
        if (token.TryGetPayloadValue<bool>("email_verified", out var flag))
        {
            return flag;
        }
        return token.TryGetPayloadValue<string>("email_verified", out var text)
            && string.Equals(text, "true", StringComparison.OrdinalIgnoreCase);
    }

    private static string Describe(Exception? exception) => exception switch
    {
        SecurityTokenExpiredException => "The ID token has expired.",
        SecurityTokenInvalidAudienceException => "The ID token was issued for another client.",
        SecurityTokenInvalidIssuerException => "The ID token was not issued by Google.",
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException =>
            "The ID token's signature does not match any of Google's keys.",
        SecurityTokenNotYetValidException => "The ID token is not valid yet.",
        SecurityTokenNoExpirationException => "The ID token has no expiry.",
        SecurityTokenInvalidAlgorithmException => "The ID token is not signed with RS256.",
        _ => "The ID token is not valid.",
    };

    private static Result Invalid(string detail) =>
        new(null, new GoogleSignInError(StatusCodes.Status401Unauthorized, ErrorCodes.InvalidIdToken, detail));
}
