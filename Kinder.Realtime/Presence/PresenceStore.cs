using Kinder.Core.Presence;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Kinder.Realtime.Presence;

/// <summary>
/// Who is connected, in Redis so every instance sees the same thing and a crashed instance's connections run out.
/// Per user, a sorted set of connection ids scored by when each expires (heartbeats push that forward); a user is
/// online while one of them is unexpired. A second sorted set, <c>presence:users</c>, holds every user announced
/// online and not yet announced offline, scored by their latest expiry: whoever takes a user out of it (the last
/// disconnect, or a sweeper finding them expired) is the one instance that announces them offline.
/// Times are Redis's own clock (<c>TIME</c>), so instances with skewed clocks agree.
/// </summary>
public sealed class PresenceStore(IConnectionMultiplexer redis, IOptions<RealtimeOptions> options)
{
    private const string Now = "local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) ";

    // Drops the user's expired connections; if none is left, removes the user from presence:users and answers 1
    // (announce offline) when they were in it. Otherwise keeps their score at their latest expiry.
    private const string Settle = """
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
        if redis.call('ZCARD', KEYS[1]) == 0 then
          redis.call('DEL', KEYS[1])
          return redis.call('ZREM', KEYS[2], ARGV[1])
        end
        local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
        redis.call('ZADD', KEYS[2], last[2], ARGV[1])
        return 0
        """;

    // KEYS: connections, users. ARGV: user, connection, lifetime ms. Answers 1 when the user was not online before.
    private const string TouchScript = Now + """
        local expires = now + tonumber(ARGV[3])
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
        redis.call('ZADD', KEYS[1], expires, ARGV[2])
        redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]) * 2)
        local known = redis.call('ZSCORE', KEYS[2], ARGV[1])
        redis.call('ZADD', KEYS[2], 'GT', expires, ARGV[1])
        if known then return 0 end
        return 1
        """;

    // KEYS: connections, users. ARGV: user, connection. Answers 1 when that was the user's last live connection.
    private const string RemoveScript = Now + "redis.call('ZREM', KEYS[1], ARGV[2]) " + Settle;

    // KEYS: connections, users. ARGV: user. Answers 1 when the user's every connection has expired.
    private const string ExpireScript = Now + """
        local score = redis.call('ZSCORE', KEYS[2], ARGV[1])
        if not score or tonumber(score) > now then return 0 end
        """ + "\n" + Settle;

    // KEYS: the user's connections. Their unexpired count.
    private const string CountScript = Now + "return redis.call('ZCOUNT', KEYS[1], '(' .. now, '+inf')";

    // KEYS: users. ARGV: limit. Users whose latest expiry has passed.
    private const string DueScript = Now + "return redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[1]))";

    private readonly string prefix = options.Value.RedisPrefix;
    private readonly long lifetimeMilliseconds = (long)options.Value.Presence.ConnectionLifetime.TotalMilliseconds;

    private readonly OnlineUsers online = new(redis, options.Value.RedisPrefix);

    private RedisKey Connections(Guid userId) => OnlineUsers.ConnectionsKey(prefix, userId);
    private RedisKey Users => $"{prefix}:presence:users";

    /// <summary>Records (or refreshes) a connection. True when the user was not online before: announce them.</summary>
    public async Task<bool> TouchAsync(Guid userId, string connectionId) =>
        (long)await redis.GetDatabase().ScriptEvaluateAsync(TouchScript, [Connections(userId), Users],
            [userId.ToString("N"), connectionId, lifetimeMilliseconds]) == 1;

    /// <summary>Forgets a closed connection. True when it was the user's last: announce them offline.</summary>
    public async Task<bool> RemoveAsync(Guid userId, string connectionId) =>
        (long)await redis.GetDatabase().ScriptEvaluateAsync(RemoveScript, [Connections(userId), Users],
            [userId.ToString("N"), connectionId]) == 1;

    /// <summary>
    /// Takes out users whose every connection expired without a heartbeat (their instance died) and returns them;
    /// each is returned to exactly one caller across instances.
    /// </summary>
    public async Task<IReadOnlyList<Guid>> TakeExpiredAsync(int limit = 500)
    {
        var database = redis.GetDatabase();
        var due = (RedisValue[]?)await database.ScriptEvaluateAsync(DueScript, [Users], [limit]) ?? [];
        var expired = new List<Guid>();
        foreach (var value in due)
        {
            if (!Guid.TryParse(value.ToString(), out var userId))
            {
                await database.SortedSetRemoveAsync(Users, value);
                continue;
            }
            if ((long)await database.ScriptEvaluateAsync(ExpireScript, [Connections(userId), Users], [userId.ToString("N")]) == 1)
                expired.Add(userId);
        }
        return expired;
    }

    /// <summary>The user's unexpired connections on every instance.</summary>
    public async Task<long> CountConnectionsAsync(Guid userId) =>
        (long)await redis.GetDatabase().ScriptEvaluateAsync(CountScript, [Connections(userId)]);

    /// <summary>Whether each user has an unexpired connection anywhere, in the order given.</summary>
    public Task<bool[]> AreOnlineAsync(IReadOnlyList<Guid> userIds) => online.AreOnlineAsync(userIds);
}
