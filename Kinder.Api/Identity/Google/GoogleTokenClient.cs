using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Kinder.Core;
using Microsoft.Extensions.Options;

namespace Kinder.Api.Identity.Google;

/// <summary>
/// Exchanges an authorization code at Google's token endpoint (a typed <see cref="HttpClient"/>, so the service
/// defaults' resilience and tracing apply). Client authentication is <c>client_secret_post</c>; the PKCE verifier
/// proves the code was asked for by the same sign-in.
/// </summary>
public sealed class GoogleTokenClient(HttpClient http, IOptions<GoogleOptions> options, ILogger<GoogleTokenClient> logger)
{
    public sealed record Result(string? IdToken, GoogleSignInError? Error);

    private sealed record TokenResponse(
        [property: JsonPropertyName("id_token")] string? IdToken,
        [property: JsonPropertyName("error")] string? Error,
        [property: JsonPropertyName("error_description")] string? ErrorDescription);

    public async Task<Result> ExchangeCodeAsync(string code, GoogleSignInState signIn, CancellationToken cancellationToken)
    {
        var google = options.Value;
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = signIn.CallbackUri,
            ["client_id"] = google.ClientId,
            ["client_secret"] = google.ClientSecret,
            ["code_verifier"] = signIn.CodeVerifier,
        });

        HttpResponseMessage response;
        TokenResponse? body;
        try
        {
            response = await http.PostAsync(google.TokenEndpoint, form, cancellationToken);
            body = await ReadBodyAsync(response, cancellationToken);
        }
        catch (Exception exception) when (exception is HttpRequestException or Polly.ExecutionRejectedException
            || (exception is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // Network failures after the resilience handler's retries: Google is unreachable, not the user's fault.
            logger.LogWarning(exception, "Google's token endpoint could not be reached");
            return Unavailable();
        }

        using (response)
        {
            if (response.IsSuccessStatusCode && !string.IsNullOrEmpty(body?.IdToken))
            {
                return new Result(body.IdToken, null);
            }
            if ((int)response.StatusCode is >= 400 and < 500)
            {
                // invalid_grant and friends: a wrong, used or expired code, or a PKCE verifier that does not match.
                logger.LogInformation("Google refused the authorization code: {Status} {Error} {Description}",
                    (int)response.StatusCode, body?.Error, body?.ErrorDescription);
                return new Result(null, new GoogleSignInError(StatusCodes.Status400BadRequest, ErrorCodes.GoogleSignInFailed,
                    $"Google refused the authorization code ({body?.Error ?? "no reason given"})."));
            }
            logger.LogWarning("Google's token endpoint answered {Status} without an ID token", (int)response.StatusCode);
            return Unavailable();
        }
    }

    private static async Task<TokenResponse?> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<TokenResponse>(cancellationToken);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
        catch (NotSupportedException)
        {
            return null; // not JSON at all (an HTML error page from a proxy)
        }
    }

    private static Result Unavailable() => new(null, new GoogleSignInError(StatusCodes.Status502BadGateway,
        ErrorCodes.GoogleUnavailable, "Google could not be reached to finish the sign-in. Try again."));
}
