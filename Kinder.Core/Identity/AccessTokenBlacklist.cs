using StackExchange.Redis;

namespace Kinder.Core.Identity;

/// <summary>
/// Access tokens revoked before they expire (logout, account deletion), by <c>jti</c>, in Redis so every Api and
/// Realtime instance refuses them. An entry lives exactly as long as the token would have.
/// </summary>
public sealed class AccessTokenBlacklist(IConnectionMultiplexer redis, TimeProvider time)
{
    private static string Key(string tokenId) => $"kinder:revoked-jti:{tokenId}";

    public async Task RevokeAsync(string tokenId, DateTimeOffset expiresAt)
    {
        var remaining = expiresAt - time.GetUtcNow();
        if (remaining > TimeSpan.Zero)
        {
            await redis.GetDatabase().StringSetAsync(Key(tokenId), "1", remaining);
        }
    }

    public Task<bool> IsRevokedAsync(string tokenId) => redis.GetDatabase().KeyExistsAsync(Key(tokenId));
}
