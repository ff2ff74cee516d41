using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace Kinder.Workers.Push;

/// <summary>
/// The provider token APNs authenticates every request with: an ES256 JWT of the team id and issue time, signed with
/// the <c>.p8</c> key. Apple refuses one older than an hour and throttles one renewed more often than every 20
/// minutes, so it is kept for 50; a 403 <c>ExpiredProviderToken</c> drops it early (<see cref="Invalidate"/>).
/// </summary>
public sealed class ApnsProviderTokens(IOptions<PushOptions> options, TimeProvider time) : IDisposable
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(50);

    private readonly Lock renewing = new();
    private readonly Lazy<ECDsa> key = new(() =>
    {
        var ecdsa = ECDsa.Create();
        ecdsa.ImportFromPem(options.Value.Apns.PrivateKey);
        return ecdsa;
    });
    private volatile CachedToken? current;

    public string Get()
    {
        var now = time.GetUtcNow();
        if (current is { } cached && now < cached.IssuedAt + Lifetime)
            return cached.Value;
        lock (renewing)
        {
            if (current is { } renewed && now < renewed.IssuedAt + Lifetime)
                return renewed.Value;
            var apns = options.Value.Apns;
            var jwt = Jwts.SignEs256(new JsonObject { ["kid"] = apns.KeyId },
                new JsonObject { ["iss"] = apns.TeamId, ["iat"] = now.ToUnixTimeSeconds() }, key.Value);
            current = new CachedToken(jwt, now);
            return jwt;
        }
    }

    public void Invalidate(string token)
    {
        if (current?.Value == token)
            current = null;
    }

    public void Dispose()
    {
        if (key.IsValueCreated)
            key.Value.Dispose();
    }

    private sealed record CachedToken(string Value, DateTimeOffset IssuedAt);
}
