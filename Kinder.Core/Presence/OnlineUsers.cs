using StackExchange.Redis;

namespace Kinder.Core.Presence;

/// <summary>
/// Reads who is connected, from the presence Realtime keeps in Redis (decision 0007): per user, a sorted set of
/// connection ids scored by when each expires (Redis's own clock). A user is online while one entry is unexpired.
/// Realtime writes the sets (its <c>PresenceStore</c>); Workers read them to decide on pushes.
/// </summary>
public sealed class OnlineUsers(IConnectionMultiplexer redis, string prefix)
{
    /// <summary>
    /// The setting naming the prefix of Realtime's Redis keys; every service reading presence uses the same one (one
    /// deployment shares it, test hosts each take their own).
    /// </summary>
    public const string PrefixKey = "Realtime:RedisPrefix";

    public const string DefaultPrefix = "kinder";

    // KEYS: connections of each user. Answers 1 or 0 per user.
    private const string OnlineScript = """
        local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local result = {}
        for i, key in ipairs(KEYS) do
          result[i] = redis.call('ZCOUNT', key, '(' .. now, '+inf') > 0 and 1 or 0
        end
        return result
        """;

    /// <summary>The sorted set of a user's connections, scored by when each expires.</summary>
    public static RedisKey ConnectionsKey(string prefix, Guid userId) => $"{prefix}:presence:connections:{userId:N}";

    /// <summary>Whether each user has an unexpired connection anywhere, in the order given.</summary>
    public async Task<bool[]> AreOnlineAsync(IReadOnlyList<Guid> userIds)
    {
        if (userIds.Count == 0)
            return [];
        var keys = new RedisKey[userIds.Count];
        for (var i = 0; i < keys.Length; i++)
            keys[i] = ConnectionsKey(prefix, userIds[i]);
        var result = (RedisValue[]?)await redis.GetDatabase().ScriptEvaluateAsync(OnlineScript, keys) ?? [];
        return [.. result.Select(value => (long)value == 1)];
    }
}
