using System.Diagnostics;
using System.Globalization;
using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace Kinder.Messaging;

/// <summary>
/// Runs one consumer group: hands each record to its <see cref="IKafkaRecordHandler"/>, retries failures with
/// backoff (a Polly retry pipeline), dead-letters what keeps failing, and stores a record's offset only once it is
/// settled (handled or dead-lettered), so nothing is acknowledged before it is done and no partition is blocked forever.
/// </summary>
internal sealed class KafkaConsumerService(
    KafkaConsumerRegistration registration,
    KafkaProducer producer,
    IServiceScopeFactory scopeFactory,
    IOptions<KafkaOptions> options,
    IOptions<ConsumerConfig> consumerConfig,
    ILogger<KafkaConsumerService> logger) : BackgroundService
{
    // Cancelled only when the host's shutdown timeout runs out: until then the in-flight record may finish.
    private readonly CancellationTokenSource abort = new();

    private static readonly ResiliencePropertyKey<ConsumeResult<byte[]?, byte[]?>> RecordKey = new("kinder.kafka.record");

    // Built from the options when the loop starts.
    private ResiliencePipeline handlerRetry = ResiliencePipeline.Empty;
    private ResiliencePipeline deadLetterRetry = ResiliencePipeline.Empty;

    // Consume() blocks, so the loop gets its own thread and the host's start is not held up.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => Run(stoppingToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await using var abortWhenOutOfTime = cancellationToken.Register(abort.Cancel);
        await base.StopAsync(cancellationToken);
    }

    public override void Dispose()
    {
        abort.Dispose();
        base.Dispose();
    }

    private void Run(CancellationToken stoppingToken)
    {
        // Each record's span starts from its own headers, not from whatever was current when the host started.
        Activity.Current = null;
        var settings = options.Value;
        handlerRetry = BuildHandlerRetry(settings.Consumer);
        deadLetterRetry = BuildDeadLetterRetry(settings.Consumer);
        using var consumer = BuildConsumer(settings);
        if (registration.EveryInstance is { } start)
        {
            if (!AssignAtEnd(consumer, stoppingToken)) return;
            start.Set();
        }
        else
        {
            consumer.Subscribe(registration.Topics);
            logger.LogInformation("Kafka consumer group {GroupId} subscribed to {Topics}", registration.GroupId, registration.Topics);
        }
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var result = Consume(consumer, stoppingToken);
                if (result is null) continue;
                MessagingTelemetry.Received(result.Topic, registration.GroupId, result.Message.Timestamp);

                if (registration.MaxBatchSize > 1)
                {
                    if (!ProcessBatchAsync(consumer, result, settings.Consumer, stoppingToken).GetAwaiter().GetResult()) break;
                    continue;
                }

                // Unsettled means we are shutting down mid-record: leave its offset for the next owner.
                if (!ProcessAsync(result, settings.Consumer, stoppingToken).GetAwaiter().GetResult()) break;
                StoreOffset(consumer, result);
            }
        }
        finally
        {
            CommitStoredOffsets(consumer);
            Close(consumer);
        }
    }

    private IConsumer<byte[]?, byte[]?> BuildConsumer(KafkaOptions settings)
    {
        var config = new ConsumerConfig
        {
            SocketNagleDisable = true, // fetch requests are small: none waits for the broker's delayed ACK
        };
        foreach (var (name, value) in consumerConfig.Value)
            config.Set(name, value);
        config.BootstrapServers = settings.BootstrapServers;
        if (registration.EveryInstance is not null)
        {
            // Assigned by hand, never joined or committed: the id only has to be this process's own.
            config.GroupId = $"{registration.GroupId}.{Environment.MachineName}.{Environment.ProcessId}.{Guid.NewGuid():N}";
            config.EnableAutoOffsetStore = false;
            config.EnableAutoCommit = false;
        }
        else
        {
            config.GroupId = registration.GroupId;
            config.EnableAutoOffsetStore = false; // stored by hand once a record is settled
            config.EnableAutoCommit = true; // commits only what was stored
            config.AutoCommitIntervalMs ??= 1000;
            config.AutoOffsetReset ??= AutoOffsetReset.Earliest; // a new group must not skip records sent before it joined
        }

        return new ConsumerBuilder<byte[]?, byte[]?>(config)
            .SetLogHandler((_, message) => KafkaClientLogging.Log(logger, message))
            .SetErrorHandler((_, error) => KafkaClientLogging.Error(logger, error))
            .SetPartitionsAssignedHandler((_, partitions) => logger.LogInformation(
                "Kafka consumer group {GroupId} assigned {Partitions}", registration.GroupId, Describe(partitions)))
            .SetPartitionsRevokedHandler((revokedFrom, partitions) =>
            {
                logger.LogInformation("Kafka consumer group {GroupId} revoked {Partitions}", registration.GroupId, Describe(partitions));
                CommitStoredOffsets(revokedFrom);
            })
            .SetPartitionsLostHandler((_, partitions) => logger.LogWarning(
                "Kafka consumer group {GroupId} lost {Partitions}; records after the last commit will be redelivered",
                registration.GroupId, Describe(partitions)))
            .Build();
    }

    /// <summary>
    /// Every-instance consumers: every partition of the topics, each at the offset that is its end now, so exactly what
    /// is produced from here on is read. Waits (retrying each second) for a broker that is not up yet.
    /// </summary>
    /// <returns>False when stopped before that.</returns>
    private bool AssignAtEnd(IConsumer<byte[]?, byte[]?> consumer, CancellationToken stoppingToken)
    {
        using var admin = new DependentAdminClientBuilder(consumer.Handle).Build();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var positions = new List<TopicPartitionOffset>();
                foreach (var topic in registration.Topics)
                {
                    var partitions = admin.GetMetadata(topic, TimeSpan.FromSeconds(5)).Topics
                        .Single(found => found.Topic == topic);
                    if (partitions.Error.IsError || partitions.Partitions.Count == 0)
                        throw new KafkaException(partitions.Error.IsError ? partitions.Error : new Error(ErrorCode.UnknownTopicOrPart));
                    foreach (var partition in partitions.Partitions)
                    {
                        var topicPartition = new TopicPartition(topic, partition.PartitionId);
                        positions.Add(new TopicPartitionOffset(topicPartition,
                            consumer.QueryWatermarkOffsets(topicPartition, TimeSpan.FromSeconds(5)).High));
                    }
                }
                consumer.Assign(positions);
                logger.LogInformation("Kafka consumer {Name} reads every record from {Positions}", registration.GroupId,
                    string.Join(", ", positions.Select(position => $"{position.Topic}[{position.Partition.Value}]@{position.Offset.Value}")));
                return true;
            }
            catch (KafkaException exception)
            {
                logger.LogWarning("Kafka consumer {Name} could not find where its topics end: {Reason}; retrying",
                    registration.GroupId, exception.Error.Reason);
                stoppingToken.WaitHandle.WaitOne(TimeSpan.FromSeconds(1));
            }
        }
        return false;
    }

    private ConsumeResult<byte[]?, byte[]?>? Consume(IConsumer<byte[]?, byte[]?> consumer, CancellationToken stoppingToken)
    {
        try
        {
            return consumer.Consume(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        catch (ConsumeException exception) when (!exception.Error.IsFatal)
        {
            // E.g. a subscribed topic that does not exist yet: librdkafka keeps trying, so do we, without spinning.
            logger.LogWarning("Kafka consumer group {GroupId} could not consume: {Reason}", registration.GroupId, exception.Error.Reason);
            stoppingToken.WaitHandle.WaitOne(TimeSpan.FromSeconds(1));
            return null;
        }
    }

    /// <summary>
    /// Batch consumers: <paramref name="first"/> plus whatever is already fetched (no waiting), up to the batch size,
    /// handed over in one call. If that call fails the records go one at a time through <see cref="ProcessAsync"/>
    /// (retries, dead-lettering), in consumption order, so per-record behaviour is exactly the single-record host's.
    /// </summary>
    /// <returns>Whether every record of the batch is settled (false: shutting down; the rest is left for the next owner).</returns>
    private async Task<bool> ProcessBatchAsync(IConsumer<byte[]?, byte[]?> consumer, ConsumeResult<byte[]?, byte[]?> first,
        KafkaConsumerOptions settings, CancellationToken stoppingToken)
    {
        var results = new List<ConsumeResult<byte[]?, byte[]?>>(registration.MaxBatchSize) { first };
        var waitUntil = Stopwatch.GetTimestamp() + (long)(registration.MaxBatchWait.TotalSeconds * Stopwatch.Frequency);
        while (results.Count < registration.MaxBatchSize && TryConsumeMore(consumer, waitUntil, stoppingToken) is { } next)
        {
            MessagingTelemetry.Received(next.Topic, registration.GroupId, next.Message.Timestamp);
            results.Add(next);
        }

        if (results.Count > 1 && await TryHandleBatchAsync(results))
        {
            foreach (var result in results)
                StoreOffset(consumer, result);
            return true;
        }

        foreach (var result in results)
        {
            if (!await ProcessAsync(result, settings, stoppingToken)) return false;
            StoreOffset(consumer, result);
        }
        return true;
    }

    // A batch's wait for more records is cut into slices this long, so stopping is noticed between them.
    private static readonly TimeSpan BatchWaitSlice = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// The next record if one is already fetched, or comes before <paramref name="waitUntil"/> (a
    /// <see cref="Stopwatch"/> timestamp; in the past: no waiting). Stopping ends the wait within a tenth of a second.
    /// </summary>
    private static ConsumeResult<byte[]?, byte[]?>? TryConsumeMore(IConsumer<byte[]?, byte[]?> consumer, long waitUntil,
        CancellationToken stoppingToken)
    {
        try
        {
            while (true)
            {
                var left = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), waitUntil);
                var wait = stoppingToken.IsCancellationRequested || left < TimeSpan.Zero ? TimeSpan.Zero : left;
                var result = consumer.Consume(wait < BatchWaitSlice ? wait : BatchWaitSlice);
                if (result is not null)
                    return result.IsPartitionEOF ? null : result;
                if (wait <= BatchWaitSlice)
                    return null;
            }
        }
        catch (ConsumeException)
        {
            return null; // the blocking Consume reports it on the next turn
        }
    }

    /// <returns>Whether the handler took the whole batch; false sends it down the one-record path.</returns>
    private async Task<bool> TryHandleBatchAsync(List<ConsumeResult<byte[]?, byte[]?>> results)
    {
        var records = new List<KafkaRecord>(results.Count);
        var links = new List<ActivityLink>(results.Count);
        foreach (var result in results)
        {
            var headers = result.Message.Headers;
            try
            {
                records.Add(new KafkaRecord(result.Topic, result.Partition.Value, result.Offset.Value,
                    result.Message.Key is null ? null : Encoding.UTF8.GetString(result.Message.Key),
                    KafkaEnvelopeCodec.FromRecord(headers, result.Message.Value)));
            }
            catch (MalformedEnvelopeException)
            {
                return false; // dead-lettered on the one-record path
            }
            if (ActivityContext.TryParse(KafkaEnvelopeCodec.Optional(headers, KafkaHeaderNames.TraceParent),
                    KafkaEnvelopeCodec.Optional(headers, KafkaHeaderNames.TraceState), isRemote: true, out var context))
                links.Add(new ActivityLink(context));
        }

        // One span for the batch, linked to every record's trace (a span has one parent, a batch many).
        using var activity = MessagingTelemetry.ActivitySource.StartActivity(
            $"{results[0].Topic} receive", ActivityKind.Consumer, parentContext: default, links: links);
        activity?.SetTag("messaging.system", "kafka");
        activity?.SetTag("messaging.consumer.group.name", registration.GroupId);
        activity?.SetTag("messaging.batch.message_count", records.Count);
        var startedAt = Stopwatch.GetTimestamp();
        try
        {
            await using var scope = scopeFactory.CreateAsyncScope();
            var handler = (IKafkaBatchHandler)scope.ServiceProvider.GetRequiredService(registration.HandlerType);
            await handler.HandleBatchAsync(records, abort.Token);
            MessagingTelemetry.Processed(results[0].Topic, registration.GroupId, startedAt, failure: null);
            return true;
        }
        catch (Exception exception) when (!abort.IsCancellationRequested)
        {
            MessagingTelemetry.Processed(results[0].Topic, registration.GroupId, startedAt, exception);
            KafkaActivities.Failed(activity, exception);
            logger.LogWarning(exception, "{Handler} failed on a batch of {Count} records; handling them one at a time",
                registration.HandlerType.Name, records.Count);
            return false;
        }
        catch (Exception)
        {
            return false; // shutting down: the one-record path sees the abort and leaves the offsets
        }
    }

    /// <returns>Whether the record is settled: handled, or dead-lettered.</returns>
    private async Task<bool> ProcessAsync(ConsumeResult<byte[]?, byte[]?> result, KafkaConsumerOptions settings, CancellationToken stoppingToken)
    {
        var headers = result.Message.Headers;
        var key = result.Message.Key is null ? null : Encoding.UTF8.GetString(result.Message.Key);
        using var activity = KafkaActivities.StartReceive(result.Topic, key,
            KafkaEnvelopeCodec.Optional(headers, KafkaHeaderNames.MessageId),
            KafkaEnvelopeCodec.Optional(headers, KafkaHeaderNames.TraceParent),
            KafkaEnvelopeCodec.Optional(headers, KafkaHeaderNames.TraceState));
        activity?.SetTag("messaging.consumer.group.name", registration.GroupId);
        activity?.SetTag("messaging.destination.partition.id", result.Partition.Value.ToString(CultureInfo.InvariantCulture));
        activity?.SetTag("messaging.kafka.offset", result.Offset.Value);
        // A message-template scope: structured properties for log stores, a readable "group topic[partition]@offset" on the console.
        using var logScope = logger.BeginScope("{KafkaConsumerGroup} {KafkaTopic}[{KafkaPartition}]@{KafkaOffset}",
            registration.GroupId, result.Topic, result.Partition.Value, result.Offset.Value);

        KafkaRecord record;
        try
        {
            record = new KafkaRecord(result.Topic, result.Partition.Value, result.Offset.Value, key,
                KafkaEnvelopeCodec.FromRecord(headers, result.Message.Value));
        }
        catch (MalformedEnvelopeException exception)
        {
            return await DeadLetterAsync(result, exception, attempts: 1, settings, activity, stoppingToken);
        }

        var attempts = 0;
        var startedAt = Stopwatch.GetTimestamp();
        try
        {
            await RunAsync(handlerRetry, result, () =>
            {
                attempts++;
                return HandleAsync(record);
            }, stoppingToken);
            MessagingTelemetry.Processed(result.Topic, registration.GroupId, startedAt, failure: null);
            return true;
        }
        catch (Exception) when (abort.IsCancellationRequested)
        {
            return false;
        }
        catch (Exception exception) when (attempts < settings.MaxAttempts && !RecordFailures.IsPermanent(exception))
        {
            return false; // stopped between attempts: the record is left for the next owner
        }
        catch (Exception exception)
        {
            MessagingTelemetry.Processed(result.Topic, registration.GroupId, startedAt, exception);
            return await DeadLetterAsync(result, exception, attempts, settings, activity, stoppingToken);
        }
    }

    private async Task HandleAsync(KafkaRecord record)
    {
        // A fresh scope per attempt: a DbContext left dirty by a failed attempt must not leak into the retry.
        await using var scope = scopeFactory.CreateAsyncScope();
        var handler = registration.Records is { } records
            ? new RecordDispatcher(scope.ServiceProvider, records)
            : (IKafkaRecordHandler)scope.ServiceProvider.GetRequiredService(registration.HandlerType);
        await handler.HandleAsync(record, abort.Token);
    }

    private async Task<bool> DeadLetterAsync(
        ConsumeResult<byte[]?, byte[]?> result, Exception exception, int attempts, KafkaConsumerOptions settings,
        Activity? activity, CancellationToken stoppingToken)
    {
        KafkaActivities.Failed(activity, exception);
        var deadLetterTopic = Topics.DeadLetter(result.Topic);
        try
        {
            await RunAsync(deadLetterRetry, result,
                () => producer.ProduceRawAsync(deadLetterTopic, DeadLetterMessage(result, exception, attempts), abort.Token), stoppingToken);
            logger.LogError(exception, "Dead-lettered {Topic}[{Partition}]@{Offset} to {DeadLetterTopic} after {Attempts} attempt(s)",
                result.Topic, result.Partition.Value, result.Offset.Value, deadLetterTopic, attempts);
            return true;
        }
        catch (Exception)
        {
            // The retries end only when we stop: never a silent drop, the offset stays unstored.
            return false;
        }
    }

    /// <summary>Handler attempts: up to <see cref="KafkaConsumerOptions.MaxAttempts"/>, then the caller dead-letters.</summary>
    private ResiliencePipeline BuildHandlerRetry(KafkaConsumerOptions settings) => settings.MaxAttempts <= 1
        ? ResiliencePipeline.Empty
        : new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions
        {
            MaxRetryAttempts = settings.MaxAttempts - 1,
            // A record that fails for what it is goes to the dead-letter topic at once: its partition waits one attempt.
            ShouldHandle = arguments => ValueTask.FromResult(arguments.Outcome.Exception is { } exception
                && !RecordFailures.IsPermanent(exception) && !abort.IsCancellationRequested),
            DelayGenerator = arguments => ValueTask.FromResult<TimeSpan?>(RetryDelay(settings, arguments.AttemptNumber + 1)),
            OnRetry = arguments =>
            {
                var result = arguments.Context.Properties.GetValue(RecordKey, null!);
                logger.LogWarning(arguments.Outcome.Exception,
                    "{Handler} failed on {Topic}[{Partition}]@{Offset} (attempt {Attempt} of {MaxAttempts}); retrying in {Delay}",
                    registration.HandlerType.Name, result.Topic, result.Partition.Value, result.Offset.Value,
                    arguments.AttemptNumber + 1, settings.MaxAttempts, arguments.RetryDelay);
                return ValueTask.CompletedTask;
            },
        }).Build();

    /// <summary>Dead-letter produces: retried for as long as it takes, the partition waiting behind.</summary>
    private ResiliencePipeline BuildDeadLetterRetry(KafkaConsumerOptions settings) =>
        new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions
        {
            MaxRetryAttempts = int.MaxValue,
            ShouldHandle = arguments => ValueTask.FromResult(arguments.Outcome.Exception is not null && !abort.IsCancellationRequested),
            DelayGenerator = arguments => ValueTask.FromResult<TimeSpan?>(RetryDelay(settings, arguments.AttemptNumber + 1)),
            OnRetry = arguments =>
            {
                var result = arguments.Context.Properties.GetValue(RecordKey, null!);
                logger.LogCritical(arguments.Outcome.Exception,
                    "Could not dead-letter {Topic}[{Partition}]@{Offset} to {DeadLetterTopic}; the partition waits, retrying in {Delay}",
                    result.Topic, result.Partition.Value, result.Offset.Value, Topics.DeadLetter(result.Topic), arguments.RetryDelay);
                return ValueTask.CompletedTask;
            },
        }).Build();

    /// <summary>
    /// Runs <paramref name="attempt"/> through <paramref name="pipeline"/>. Stopping cuts a wait between attempts short
    /// and starts no further attempt, but never keeps the first one from running: Polly starts nothing once its token
    /// is cancelled, so its token learns of the stop only after the first attempt has begun.
    /// </summary>
    private static async Task RunAsync(ResiliencePipeline pipeline, ConsumeResult<byte[]?, byte[]?> result, Func<Task> attempt,
        CancellationToken stoppingToken)
    {
        using var waits = new CancellationTokenSource();
        var stop = default(CancellationTokenRegistration);
        var started = false;
        var context = ResilienceContextPool.Shared.Get(waits.Token);
        context.Properties.Set(RecordKey, result);
        try
        {
            await pipeline.ExecuteAsync(async _ =>
            {
                if (!started)
                {
                    started = true;
                    stop = stoppingToken.Register(waits.Cancel);
                }
                await attempt();
            }, context);
        }
        finally
        {
            await stop.DisposeAsync();
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private Message<byte[]?, byte[]?> DeadLetterMessage(ConsumeResult<byte[]?, byte[]?> result, Exception exception, int attempts)
    {
        var headers = new Headers();
        foreach (var header in result.Message.Headers ?? [])
        {
            // A record dead-lettered twice keeps only the latest failure.
            if (!header.Key.StartsWith(KafkaHeaderNames.DeadLetterPrefix, StringComparison.Ordinal))
                headers.Add(header.Key, header.GetValueBytes());
        }
        void Add(string name, string value) => headers.Add(name, KafkaEnvelopeCodec.Encode(value));
        Add(KafkaHeaderNames.DeadLetterError, exception.Message);
        Add(KafkaHeaderNames.DeadLetterErrorType, exception.GetType().FullName ?? exception.GetType().Name);
        Add(KafkaHeaderNames.DeadLetterOriginalTopic, result.Topic);
        Add(KafkaHeaderNames.DeadLetterOriginalPartition, result.Partition.Value.ToString(CultureInfo.InvariantCulture));
        Add(KafkaHeaderNames.DeadLetterOriginalOffset, result.Offset.Value.ToString(CultureInfo.InvariantCulture));
        Add(KafkaHeaderNames.DeadLetterAttempts, attempts.ToString(CultureInfo.InvariantCulture));
        Add(KafkaHeaderNames.DeadLetterConsumerGroup, registration.GroupId);
        return new Message<byte[]?, byte[]?> { Key = result.Message.Key, Value = result.Message.Value, Headers = headers };
    }

    private void StoreOffset(IConsumer<byte[]?, byte[]?> consumer, ConsumeResult<byte[]?, byte[]?> result)
    {
        if (registration.EveryInstance is not null) return; // nothing is committed: a restart starts at the end
        try
        {
            consumer.StoreOffset(result);
        }
        catch (KafkaException exception)
        {
            logger.LogWarning("Could not store the offset of {Topic}[{Partition}]@{Offset} ({Reason}); its new owner will see it again",
                result.Topic, result.Partition.Value, result.Offset.Value, exception.Error.Reason);
        }
    }

    private void CommitStoredOffsets(IConsumer<byte[]?, byte[]?> consumer)
    {
        if (registration.EveryInstance is not null) return;
        try
        {
            var committed = consumer.Commit();
            logger.LogDebug("Kafka consumer group {GroupId} committed {Offsets}", registration.GroupId, committed);
        }
        catch (KafkaException exception) when (exception.Error.Code == ErrorCode.Local_NoOffset)
        {
            // Nothing stored since the last commit.
        }
        catch (KafkaException exception)
        {
            logger.LogWarning("Kafka consumer group {GroupId} could not commit: {Reason}", registration.GroupId, exception.Error.Reason);
        }
    }

    private void Close(IConsumer<byte[]?, byte[]?> consumer)
    {
        try
        {
            consumer.Close(); // leaves the group now rather than after the session timeout
            logger.LogInformation("Kafka consumer group {GroupId} closed", registration.GroupId);
        }
        catch (KafkaException exception)
        {
            logger.LogWarning("Kafka consumer group {GroupId} did not close cleanly: {Reason}", registration.GroupId, exception.Error.Reason);
        }
    }

    private static TimeSpan RetryDelay(KafkaConsumerOptions settings, int attempt) =>
        RetryBackoff.Delay(settings.RetryBaseDelay, settings.RetryMaxDelay, attempt);

    private static string Describe(IEnumerable<TopicPartition> partitions) =>
        string.Join(", ", partitions.Select(partition => $"{partition.Topic}[{partition.Partition.Value}]"));

    private static string Describe(IEnumerable<TopicPartitionOffset> partitions) =>
        Describe(partitions.Select(partition => partition.TopicPartition));
}
