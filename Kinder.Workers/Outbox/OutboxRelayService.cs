using System.Diagnostics;
using System.Text;
using Kinder.Core.Data;
using Kinder.Messaging;
using Kinder.Messaging.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kinder.Workers.Outbox;

/// <summary>
/// Publishes committed outbox rows to Kafka, oldest first, and marks them published. Rows are claimed with a lease
/// (<see cref="OutboxRelayOptions.ClaimLease"/>) in a short transaction and published after it commits, so no lock
/// is held while the broker answers and any number of Workers replicas share the work without publishing a row twice
/// in the normal case; after a crash between publish and marking, the lease runs out and the row is published again
/// (consumers are idempotent). A row that fails to publish is retried with jittered backoff, never dropped, and the
/// later rows of its key wait for it (see <see cref="ClaimAsync"/>). Published rows are
/// deleted by <see cref="OutboxPruningService"/>.
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
        // Claimed and committed first: no lock is held while the broker answers.
        var batch = await ClaimAsync(db, cancellationToken);
        if (batch.Count == 0)
        {
            return 0;
        }

        // Keys side by side, a key's rows one after another, stopping at its first failure: no later row of a key
        // leaves before an earlier one has (docs/decisions/0010). Rows after a failure are not attempted this pass.
        var outcomes = new Dictionary<OutboxMessage, Exception?>();
        await Task.WhenAll(batch.GroupBy(message => (message.Topic, message.Key)).Select(async rows =>
        {
            foreach (var message in rows)
            {
                Exception? failure = null;
                try
                {
                    await Publish(message, cancellationToken);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    failure = exception;
                }
                lock (outcomes)
                {
                    outcomes[message] = failure;
                }
                if (failure is not null)
                {
                    break;
                }
            }
        }));

        var now = time.GetUtcNow();
        foreach (var message in batch)
        {
            if (!outcomes.TryGetValue(message, out var failure))
            {
                // Behind a failed row of its key: its lease ends now, and the failed row holds it back (ClaimAsync).
                message.NextAttemptAt = null;
                continue;
            }
            if (failure is null)
            {
                message.PublishedAt = now;
                message.NextAttemptAt = null; // the lease
                message.LastError = null;
                logger.LogInformation("Relayed outbox {Type} {MessageId} to {Topic} (trace {TraceId})",
                    message.Type, message.Id, message.Topic, TraceIdOf(message.TraceParent));
                continue;
            }
            message.Attempts++;
            message.LastError = failure.Message;
            message.NextAttemptAt = now + RetryDelay(message.Attempts);
            logger.LogWarning(failure, "Publishing outbox {Type} {MessageId} to {Topic} failed (attempt {Attempt}); retrying at {NextAttemptAt}",
                message.Type, message.Id, message.Topic, message.Attempts, message.NextAttemptAt);
        }

        // If this save fails (or we stop first), the leases run out and the rows are published again: at least once.
        await db.SaveChangesAsync(CancellationToken.None);
        return batch.Count;
    }

    /// <summary>
    /// Takes up to a batch of due rows, oldest first, by leasing them (<c>next_attempt_at</c> moved past the lease) in
    /// one short transaction. A row is not due while an earlier row of its key (topic and key) is leased or waiting for
    /// its retry, so a key's rows go out in order whatever fails, and two replicas never publish one key at once. The
    /// claims of replicas take turns on a transaction-scoped advisory lock (a claim is one statement), so one cannot
    /// skip a row another is claiming and take the row after it.
    /// </summary>
    private async Task<List<OutboxMessage>> ClaimAsync(KinderDbContext db, CancellationToken cancellationToken)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        var claimed = await strategy.ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(hashtext('kinder.outbox.relay'))", cancellationToken);
            var rows = await db.OutboxMessages
                .FromSql($"""
                    WITH blocked AS (
                        SELECT topic, key, min(sequence) AS sequence FROM outbox_messages
                        WHERE published_at IS NULL AND next_attempt_at > statement_timestamp()
                        GROUP BY topic, key
                    ),
                    due AS (
                        SELECT o.id FROM outbox_messages o
                        LEFT JOIN blocked b ON b.topic = o.topic AND b.key = o.key
                        WHERE o.published_at IS NULL
                          AND (o.next_attempt_at IS NULL OR o.next_attempt_at <= statement_timestamp())
                          AND (b.sequence IS NULL OR o.sequence < b.sequence)
                        ORDER BY o.sequence
                        LIMIT {_options.BatchSize}
                    )
                    UPDATE outbox_messages o SET next_attempt_at = statement_timestamp() + {_options.ClaimLease}
                    FROM due WHERE o.id = due.id
                    RETURNING o.*
                    """)
                .ToListAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return rows;
        });
        return [.. claimed.OrderBy(message => message.Sequence)];
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

    private TimeSpan RetryDelay(int attempts) => RetryBackoff.Delay(_options.RetryDelay, _options.MaxRetryDelay, attempts);

    private static string? TraceIdOf(string? traceParent) =>
        ActivityContext.TryParse(traceParent, null, out var context) ? context.TraceId.ToHexString() : null;
}
