using System.Diagnostics;
using System.Text;
using Kinder.Core.Data;
using Kinder.Messaging;
using Kinder.Messaging.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kinder.Workers.Outbox;

/// <summary>
/// Publishes committed outbox rows to Kafka, oldest first, and marks them published. Rows are claimed with
/// <c>FOR UPDATE SKIP LOCKED</c>, so any number of Workers replicas share the work without publishing a row twice
/// in the normal case; after a crash between publish and commit a row is published again (consumers are idempotent).
/// A row that fails to publish is retried with backoff, never dropped. Published rows are deleted by
/// <see cref="OutboxPruningService"/>.
/// </summary>
public sealed class OutboxRelayService(IServiceScopeFactory scopeFactory, IKafkaProducer producer, OutboxSignal signal,
    IOptions<OutboxRelayOptions> options, TimeProvider time, ILogger<OutboxRelayService> logger) : BackgroundService
{
    private readonly OutboxRelayOptions _options = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        logger.LogInformation("Outbox relay started (batch {BatchSize}, poll {PollInterval})", _options.BatchSize, _options.PollInterval);
        while (!stoppingToken.IsCancellationRequested)
        {
            var relayed = 0;
            try
            {
                relayed = await RelayBatchAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception)
            {
                logger.LogError(exception, "Outbox relay pass failed; retrying");
            }

            // A full batch means more is waiting: go again at once.
            if (relayed < _options.BatchSize)
            {
                await signal.WaitAsync(_options.PollInterval, stoppingToken);
            }
        }
    }

    public async Task<int> RelayBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KinderDbContext>();
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var batch = await db.OutboxMessages
                .FromSql($"""
                    SELECT * FROM outbox_messages
                    WHERE published_at IS NULL AND (next_attempt_at IS NULL OR next_attempt_at <= now())
                    ORDER BY sequence
                    LIMIT {_options.BatchSize}
                    FOR UPDATE SKIP LOCKED
                    """)
                .ToListAsync(cancellationToken);
            if (batch.Count == 0)
            {
                return 0;
            }

            // Start every publish before awaiting any: the idempotent producer keeps them in order per partition.
            var publishes = batch.Select(message => (message, task: Publish(message, cancellationToken))).ToList();
            var now = time.GetUtcNow();
            foreach (var (message, task) in publishes)
            {
                try
                {
                    await task;
                    message.PublishedAt = now;
                    message.LastError = null;
                    logger.LogInformation("Relayed outbox {Type} {MessageId} to {Topic} (trace {TraceId})",
                        message.Type, message.Id, message.Topic, TraceIdOf(message.TraceParent));
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    message.Attempts++;
                    message.LastError = exception.Message;
                    message.NextAttemptAt = now + RetryDelay(message.Attempts);
                    logger.LogWarning(exception, "Publishing outbox {Type} {MessageId} to {Topic} failed (attempt {Attempt}); retrying at {NextAttemptAt}",
                        message.Type, message.Id, message.Topic, message.Attempts, message.NextAttemptAt);
                }
            }

            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return batch.Count;
        });
    }

    private Task Publish(OutboxMessage message, CancellationToken cancellationToken)
    {
        var envelope = new KafkaEnvelope(message.Id, message.Type, message.OccurredAt,
            Encoding.UTF8.GetBytes(message.Payload), message.TraceParent, message.TraceState);
        // The publish span continues the trace of the request that wrote the row.
        ActivityContext.TryParse(message.TraceParent, message.TraceState, out var parent);
        using var activity = MessagingTelemetry.ActivitySource.StartActivity("outbox relay", ActivityKind.Internal, parent);
        activity?.SetTag("messaging.message.id", message.Id.ToString());
        return producer.ProduceAsync(message.Topic, message.Key, envelope, cancellationToken);
    }

    private TimeSpan RetryDelay(int attempts)
    {
        var delay = _options.RetryDelay * Math.Pow(2, Math.Min(attempts - 1, 20));
        return delay < _options.MaxRetryDelay ? delay : _options.MaxRetryDelay;
    }

    private static string? TraceIdOf(string? traceParent) =>
        ActivityContext.TryParse(traceParent, null, out var context) ? context.TraceId.ToHexString() : null;
}
