using System.Threading.Channels;
using Kinder.Core.Chat;

namespace Kinder.Realtime.Delivery;

/// <summary>
/// New messages waiting for their offline-recipient check and push requests. The delivery handler only enqueues, so
/// a conversation with offline members (a presence check, two lookups and a broker round trip) never holds up
/// <c>message:new</c> for the records behind it. Bounded: when the worker falls behind, the handler waits.
/// </summary>
public sealed class PushQueue
{
    private readonly Channel<MessageCreated> channel = Channel.CreateBounded<MessageCreated>(
        new BoundedChannelOptions(10_000) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    public ValueTask EnqueueAsync(MessageCreated created, CancellationToken cancellationToken) =>
        channel.Writer.WriteAsync(created, cancellationToken);

    internal ChannelReader<MessageCreated> Reader => channel.Reader;

    internal void Complete() => channel.Writer.TryComplete();
}

/// <summary>
/// Works through <see cref="PushQueue"/>, a batch at a time (the producer sends a batch in one linger). Registered
/// before the Kafka consumer so it stops after it, and drains what is queued before the host exits.
/// </summary>
public sealed class PushQueueWorker(PushQueue queue, IServiceScopeFactory scopes, ILogger<PushQueueWorker> logger) : BackgroundService
{
    private const int MaxBatch = 256;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<MessageCreated>(MaxBatch);
        // Not stoppingToken: on shutdown the queue is completed and drained, not abandoned.
        while (await queue.Reader.WaitToReadAsync(CancellationToken.None))
        {
            batch.Clear();
            while (batch.Count < MaxBatch && queue.Reader.TryRead(out var created))
                batch.Add(created);
            await Task.WhenAll(batch.Select(RequestAsync));
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        queue.Complete();
        await base.StopAsync(cancellationToken);
    }

    private async Task RequestAsync(MessageCreated created)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<OfflinePushes>()
                .RequestAsync(created.Message, created.RecipientIds, CancellationToken.None);
        }
        catch (Exception exception)
        {
            logger.LogError(exception, "Could not request pushes for message {MessageId} in conversation {ConversationId}",
                created.Message.Id, created.Message.ConversationId);
        }
    }
}
