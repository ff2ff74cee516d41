using StackExchange.Redis;

namespace Kinder.Core.Identity;

/// <summary>
/// Access tokens revoked before they expire, in Redis so every Api and Realtime instance refuses them: one token by
/// its <c>jti</c> (logout), or every token of a user issued up to a moment, the per-user cut-off (account deletion,
/// password reset, refresh-token reuse, Google link). An entry lives exactly as long as the tokens it refuses could.
/// Setting a cut-off is also published on <see cref="CutOffChannel"/>, so Realtime closes the user's connections.
/// </summary>
public sealed class AccessTokenBlacklist(IConnectionMultiplexer redis, TimeProvider time)
{
    /// <summary>Redis pub/sub channel; each message is <c>{userId}:{cut-off in Unix milliseconds}</c>.</summary>
    public static readonly RedisChannel CutOffChannel = RedisChannel.Literal("kinder:access-cut-off");

    private static RedisKey Key(string tokenId) => $"kinder:revoked-jti:{tokenId}";
    private static RedisKey UserKey(Guid userId) => $"kinder:revoked-before-ms:{userId}";

    public async Task RevokeAsync(string tokenId, DateTimeOffset expiresAt)
    {
        var remaining = expiresAt - time.GetUtcNow();
        if (remaining > TimeSpan.Zero)
        {
            await redis.GetDatabase().StringSetAsync(Key(tokenId), "1", remaining);
        }
    }

    /// <summary>
    /// Refuses every access token of the user issued up to now, in milliseconds (<see cref="KinderClaims.IssuedAtMilliseconds"/>),
    /// and tells Realtime. Returns once the clock has passed the cut-off, so a token issued afterwards by the same
    /// action (the session a Google link starts, a sign-in right after a reset) is never refused.
    /// </summary>
    public async Task RevokeAllAsync(Guid userId, TimeSpan accessTokenLifetime)
    {
        var cutoff = time.GetUtcNow().ToUnixTimeMilliseconds();
        // Lifetime plus a minute of clock skew: no token issued before the cut-off can still be valid after that.
        await redis.GetDatabase().StringSetAsync(UserKey(userId), cutoff, accessTokenLifetime + TimeSpan.FromMinutes(1));
        await redis.GetSubscriber().PublishAsync(CutOffChannel, $"{userId}:{cutoff}");
        while (time.GetUtcNow().ToUnixTimeMilliseconds() <= cutoff)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(1), time);
        }
    }

    public Task<bool> IsRevokedAsync(string tokenId) => redis.GetDatabase().KeyExistsAsync(Key(tokenId));

    /// <summary>
    /// The keys that say whether a token is refused by its <c>jti</c> or by its user's cut-off (<see cref="IsRevoked"/>),
    /// for the bearer handler, which reads them with the user's state in one round trip.
    /// </summary>
    public static RedisKey[] RevocationKeys(string tokenId, Guid userId) => [Key(tokenId), UserKey(userId)];

    /// <summary>Whether a token is refused, from the values of <see cref="RevocationKeys"/>.</summary>
    /// <param name="issuedAtMilliseconds">Unix milliseconds; see <see cref="IssuedAtMillisecondsOf"/>.</param>
    public static bool IsRevoked(RedisValue revokedTokenId, RedisValue cutoff, long issuedAtMilliseconds) =>
        revokedTokenId.HasValue || IsCutOff(cutoff, issuedAtMilliseconds);

    /// <summary>Whether a token issued then is before the user's cut-off (Realtime, for connections it holds).</summary>
    public async Task<bool> IsCutOffAsync(Guid userId, long issuedAtMilliseconds) =>
        IsCutOff(await redis.GetDatabase().StringGetAsync(UserKey(userId)), issuedAtMilliseconds);

    private static bool IsCutOff(RedisValue cutoff, long issuedAtMilliseconds) =>
        cutoff.TryParse(out long value) && issuedAtMilliseconds <= value;

    /// <summary>
    /// A token's issue time in Unix milliseconds: <c>iat_ms</c>, else <c>iat</c>'s second taken at its start (so a
    /// cut-off within that second refuses it), else the earliest time (a user-wide cut-off refuses it).
    /// </summary>
    public static long IssuedAtMillisecondsOf(System.Security.Claims.ClaimsPrincipal principal) =>
        long.TryParse(principal.FindFirst(KinderClaims.IssuedAtMilliseconds)?.Value, out var milliseconds) ? milliseconds
        : long.TryParse(principal.FindFirst(KinderClaims.IssuedAt)?.Value, out var seconds) ? seconds * 1000
        : long.MinValue;
}
