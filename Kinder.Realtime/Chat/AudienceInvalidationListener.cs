using StackExchange.Redis;

namespace Kinder.Realtime.Chat;

/// <summary>Listens for audience invalidations published by whichever instance consumed the membership change.</summary>
public sealed class AudienceInvalidationListener(IConnectionMultiplexer redis, ChatAudience audience) : IHostedService
{
    private ChannelMessageQueue? queue;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        queue = await redis.GetSubscriber().SubscribeAsync(audience.InvalidationChannel);
        queue.OnMessage(message => audience.OnInvalidation(message.Message));
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (queue is not null)
            await queue.UnsubscribeAsync();
    }
}
