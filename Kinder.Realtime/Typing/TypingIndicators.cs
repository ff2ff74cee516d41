using Kinder.Realtime.Chat;
using Kinder.Realtime.Hubs;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Kinder.Realtime.Typing;

/// <summary>What clients receive as <c>typing:start</c> and <c>typing:stop</c>.</summary>
public sealed record TypingNotification(Guid ConversationId, Guid UserId);

/// <summary>
/// Typing indicators. Who is typing where lives in one Redis sorted set scored by when the indicator runs out
/// (<c>StartTyping</c> pushes that 5 s forward); every instance sweeps it, and the one whose sweep takes an entry out
/// sends its <c>typing:stop</c>. So the stop comes whichever instance got the start, even one that has since died.
/// The audience is the conversation's other members, leaving out anyone in a block with the typist.
/// </summary>
public sealed class TypingIndicators(
    IConnectionMultiplexer redis,
    ChatAudience audience,
    IHubContext<ChatHub> hub,
    IOptions<RealtimeOptions> options)
{
    private const string Now = "local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) ";

    // KEYS: typing. ARGV: entry, timeout ms. Answers 1 when the indicator was not showing.
    private const string StartScript = Now + """
        local previous = redis.call('ZSCORE', KEYS[1], ARGV[1])
        redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
        if previous and tonumber(previous) > now then return 0 end
        return 1
        """;

    // KEYS: typing. ARGV: limit. Takes out and returns the entries that ran out.
    private const string TakeDueScript = Now + """
        local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[1]))
        if #due > 0 then redis.call('ZREM', KEYS[1], unpack(due)) end
        return due
        """;

    private readonly RedisKey key = $"{options.Value.RedisPrefix}:typing";
    private readonly long timeoutMilliseconds = (long)options.Value.Typing.Timeout.TotalMilliseconds;

    public async Task StartAsync(Guid conversationId, Guid userId, CancellationToken cancellationToken)
    {
        var started = (long)await redis.GetDatabase().ScriptEvaluateAsync(StartScript, [key],
            [Entry(conversationId, userId), timeoutMilliseconds]) == 1;
        if (started)
            await NotifyAsync(ServerEvents.TypingStart, conversationId, userId, cancellationToken);
    }

    public async Task StopAsync(Guid conversationId, Guid userId, CancellationToken cancellationToken)
    {
        if (await redis.GetDatabase().SortedSetRemoveAsync(key, Entry(conversationId, userId)))
            await NotifyAsync(ServerEvents.TypingStop, conversationId, userId, cancellationToken);
    }

    /// <summary>Stops the indicators that ran out; each is taken by exactly one instance's sweep.</summary>
    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        var due = (RedisValue[]?)await redis.GetDatabase().ScriptEvaluateAsync(TakeDueScript, [key], [500]) ?? [];
        foreach (var entry in due)
        {
            var parts = entry.ToString().Split(':');
            if (parts.Length == 2 && Guid.TryParse(parts[0], out var conversationId) && Guid.TryParse(parts[1], out var userId))
                await NotifyAsync(ServerEvents.TypingStop, conversationId, userId, cancellationToken);
        }
    }

    private static string Entry(Guid conversationId, Guid userId) => $"{conversationId:N}:{userId:N}";

    private async Task NotifyAsync(string serverEvent, Guid conversationId, Guid userId, CancellationToken cancellationToken)
    {
        var recipients = await audience.TypingAudienceAsync(conversationId, userId, cancellationToken);
        if (recipients.Count > 0)
            await hub.Clients.Users(UserIds.ToStrings(recipients))
                .SendAsync(serverEvent, new TypingNotification(conversationId, userId), cancellationToken);
    }
}
