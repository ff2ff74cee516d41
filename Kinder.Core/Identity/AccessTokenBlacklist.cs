using StackExchange.Redis;

namespace Kinder.Core.Identity;

/// <summary>
/// Access tokens revoked before they expire, in Redis so every Api and Realtime instance refuses them: one token by
/// its <c>jti</c> (logout), or every token of a user issued up to a moment (account deletion). An entry lives
/// exactly as long as the tokens it refuses could.
/// </summary>
public sealed class AccessTokenBlacklist(IConnectionMultiplexer redis, TimeProvider time)
{
    private static RedisKey Key(string tokenId) => $"kinder:revoked-jti:{tokenId}";
    private static RedisKey UserKey(Guid userId) => $"kinder:revoked-before:{userId}";

    public async Task RevokeAsync(string tokenId, DateTimeOffset expiresAt)
    {
        var remaining = expiresAt - time.GetUtcNow();
        if (remaining > TimeSpan.Zero)
        {
            await redis.GetDatabase().StringSetAsync(Key(tokenId), "1", remaining);
        }
    }

    /// <summary>
    /// Refuses every access token of the user issued up to now. <c>iat</c> has whole seconds, so the cut-off is
    /// this second: a token issued earlier in it is refused too, never one that outlived the revocation.
    /// </summary>
    public async Task RevokeAllAsync(Guid userId, TimeSpan accessTokenLifetime)
    {
        var cutoff = time.GetUtcNow().ToUnixTimeSeconds();
        // Lifetime plus a minute of clock skew: no token issued before the cut-off can still be valid after that.
        await redis.GetDatabase().StringSetAsync(UserKey(userId), cutoff, accessTokenLifetime + TimeSpan.FromMinutes(1));
    }

    public Task<bool> IsRevokedAsync(string tokenId) => redis.GetDatabase().KeyExistsAsync(Key(tokenId));

    /// <summary>Whether the token is refused by its <c>jti</c> or by its user's cut-off; one round trip.</summary>
    public async Task<bool> IsRevokedAsync(string tokenId, Guid userId, DateTimeOffset issuedAt)
    {
        var values = await redis.GetDatabase().StringGetAsync([Key(tokenId), UserKey(userId)]);
        return values[0].HasValue ||
               (values[1].TryParse(out long cutoff) && issuedAt.ToUnixTimeSeconds() <= cutoff);
    }
}
