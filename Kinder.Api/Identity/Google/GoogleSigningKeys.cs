using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Kinder.Api.Identity.Google;

/// <summary>
/// Google's ID-token signing keys (the JWKS at <see cref="GoogleOptions.JwksUri"/>), cached for as long as the
/// response's <c>max-age</c> says. Google rotates keys; a token signed with a key id we do not have makes us fetch
/// again (<see cref="RefreshForUnknownKeyAsync"/>), at most once per <see cref="GoogleOptions.MinimumKeySetRefreshInterval"/>.
/// One instance per process (singleton); the fetch goes through a named, resilient HttpClient.
/// </summary>
public sealed class GoogleSigningKeys(IHttpClientFactory httpClients, IOptions<GoogleOptions> options, TimeProvider time,
    ILogger<GoogleSigningKeys> logger)
{
    public const string HttpClientName = "google-jwks";

    private sealed record KeySet(IReadOnlyList<SecurityKey> Keys, DateTimeOffset FetchedAt, DateTimeOffset ExpiresAt);

    private static readonly TimeSpan MaximumLifetime = TimeSpan.FromDays(1);

    private readonly SemaphoreSlim _fetch = new(1, 1);
    private volatile KeySet? _current;

    public async Task<IReadOnlyList<SecurityKey>> GetAsync(CancellationToken cancellationToken)
    {
        var current = _current;
        if (current is not null && time.GetUtcNow() < current.ExpiresAt)
        {
            return current.Keys;
        }
        return await FetchAsync(fetchedBefore: time.GetUtcNow(), cancellationToken);
    }

    /// <summary>Fetches the key set again unless that was done very recently; returns the keys to use.</summary>
    public async Task<IReadOnlyList<SecurityKey>> RefreshForUnknownKeyAsync(CancellationToken cancellationToken)
    {
        var current = _current;
        if (current is not null && time.GetUtcNow() - current.FetchedAt < options.Value.MinimumKeySetRefreshInterval)
        {
            return current.Keys;
        }
        return await FetchAsync(fetchedBefore: time.GetUtcNow(), cancellationToken);
    }

    /// <param name="fetchedBefore">Fetch only if what we hold was fetched before this (another caller may just have).</param>
    private async Task<IReadOnlyList<SecurityKey>> FetchAsync(DateTimeOffset fetchedBefore, CancellationToken cancellationToken)
    {
        await _fetch.WaitAsync(cancellationToken);
        try
        {
            var current = _current;
            if (current is not null && current.FetchedAt >= fetchedBefore)
            {
                return current.Keys; // another request fetched while this one waited
            }

            var google = options.Value;
            try
            {
                using var response = await httpClients.CreateClient(HttpClientName).GetAsync(google.JwksUri, cancellationToken);
                response.EnsureSuccessStatusCode();
                var json = await response.Content.ReadAsStringAsync(cancellationToken);
                IReadOnlyList<SecurityKey> keys = [.. new JsonWebKeySet(json).GetSigningKeys()];

                var now = time.GetUtcNow();
                var lifetime = response.Headers.CacheControl?.MaxAge ?? google.KeySetLifetime;
                _current = new KeySet(keys, now, now + (lifetime < MaximumLifetime ? lifetime : MaximumLifetime));
                logger.LogInformation("Fetched {Count} Google signing keys, kept for {Lifetime}", keys.Count, lifetime);
                return keys;
            }
            catch (Exception exception) when (current is not null && exception is not OperationCanceledException)
            {
                // Keys we fetched earlier are still Google's; better than refusing every sign-in while it is unreachable.
                logger.LogWarning(exception, "Could not refresh Google's signing keys; using the ones fetched at {FetchedAt}",
                    current.FetchedAt);
                var now = time.GetUtcNow();
                _current = current with { FetchedAt = now, ExpiresAt = now + google.MinimumKeySetRefreshInterval };
                return current.Keys;
            }
        }
        finally
        {
            _fetch.Release();
        }
    }
}
