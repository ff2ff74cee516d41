using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Kinder.Realtime.Delivery;

/// <summary>
/// Messages whose <c>message:new</c> went out lately. Workers announce a message that already exists again (a client
/// retrying a send with the same <c>clientMessageId</c> makes a second record for the same message); the members must
/// get one <c>message:new</c>, not two. One Redis key per message, kept <see cref="RealtimeOptions.AnnouncedMessageMemory"/>.
/// Marked after the send: a crash in between sends it again (clients replace by id) rather than never.
/// </summary>
public sealed class AnnouncedMessages(IConnectionMultiplexer redis, IOptions<RealtimeOptions> options)
{
    public Task<bool> WereAnnouncedAsync(Guid messageId) => redis.GetDatabase().KeyExistsAsync(Key(messageId));

    public Task MarkAsync(Guid messageId) =>
        redis.GetDatabase().StringSetAsync(Key(messageId), 1, options.Value.AnnouncedMessageMemory);

    private RedisKey Key(Guid messageId) => $"{options.Value.RedisPrefix}:realtime:announced:{messageId:N}";
}
