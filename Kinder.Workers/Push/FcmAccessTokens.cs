using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;

namespace Kinder.Workers.Push;

/// <summary>
/// The OAuth2 access token FCM wants, from the service account's key by the JWT-bearer grant (RFC 7523) at its token
/// URI, kept until shortly before it expires (Google's last an hour) and shared by every send: one token request per
/// hour, not per push. A 401 from FCM drops it (<see cref="Invalidate"/>).
/// </summary>
public sealed class FcmAccessTokens(IHttpClientFactory httpClients, IOptions<PushOptions> options, TimeProvider time,
    ILogger<FcmAccessTokens> logger) : IDisposable
{
    public const string HttpClientName = "push-fcm-oauth";
    public const string JwtBearerGrant = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    private static readonly TimeSpan AssertionLifetime = TimeSpan.FromHours(1);
    private static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);

    private readonly SemaphoreSlim fetching = new(1, 1);
    private readonly Lazy<RSA> key = new(() =>
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(options.Value.Fcm.PrivateKey);
        return rsa;
    });
    private volatile CachedToken? current;

    public async Task<string> GetAsync(CancellationToken cancellationToken)
    {
        if (current is { } cached && time.GetUtcNow() < cached.RefreshAt)
            return cached.Value;
        await fetching.WaitAsync(cancellationToken);
        try
        {
            if (current is { } fetched && time.GetUtcNow() < fetched.RefreshAt)
                return fetched.Value; // another send fetched it while this one waited
            current = await FetchAsync(cancellationToken);
            return current.Value;
        }
        finally
        {
            fetching.Release();
        }
    }

    /// <summary>FCM refused <paramref name="token"/>: the next send fetches a new one.</summary>
    public void Invalidate(string token)
    {
        if (current?.Value == token)
            current = null;
    }

    private async Task<CachedToken> FetchAsync(CancellationToken cancellationToken)
    {
        var fcm = options.Value.Fcm;
        var now = time.GetUtcNow();
        var assertion = Jwts.SignRs256(new JsonObject
        {
            ["iss"] = fcm.ClientEmail,
            ["scope"] = FcmOptions.Scope,
            ["aud"] = fcm.TokenUri,
            ["iat"] = now.ToUnixTimeSeconds(),
            ["exp"] = (now + AssertionLifetime).ToUnixTimeSeconds(),
        }, key.Value);
        using var response = await httpClients.CreateClient(HttpClientName).PostAsync(fcm.TokenUri,
            new FormUrlEncodedContent([new("grant_type", JwtBearerGrant), new("assertion", assertion)]), cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new PushServiceException(
                $"FCM's token endpoint answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
        var token = await response.Content.ReadFromJsonAsync<TokenResponse>(cancellationToken)
            ?? throw new PushServiceException("FCM's token endpoint answered without a token.");
        var lifetime = TimeSpan.FromSeconds(token.ExpiresIn);
        // Refreshed a little before it expires (half its life if it is short), so no send carries an expiring token.
        var refreshAt = now + lifetime - TimeSpan.FromTicks(Math.Min(RefreshMargin.Ticks, lifetime.Ticks / 2));
        logger.LogDebug("FCM access token fetched; valid for {Lifetime}, refreshed at {RefreshAt}", lifetime, refreshAt);
        return new CachedToken(token.AccessToken, refreshAt);
    }

    public void Dispose()
    {
        fetching.Dispose();
        if (key.IsValueCreated)
            key.Value.Dispose();
    }

    private sealed record CachedToken(string Value, DateTimeOffset RefreshAt);

    private sealed record TokenResponse(
        [property: JsonPropertyName("access_token")] string AccessToken,
        [property: JsonPropertyName("expires_in")] int ExpiresIn);
}
