using System.Diagnostics;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace Kinder.KafkaMock;

/// <summary>
/// Retention for the mock cluster, which has none of its own: every pass notes each partition's high watermark and
/// deletes the records below the newest one noted at least the retention ago. With a <see cref="ConsumedRetention"/>,
/// records of its topics also go once they are its age and every group reading the topic has committed past them.
/// </summary>
/// <remarks>
/// A record below the high watermark read at time t was written before t, so it is never deleted sooner than the
/// retention after it was written; it goes at most two intervals later (one until a pass sees it, one until a pass
/// finds that sighting old enough). The mock keeps no write times, so the watermarks are the only clock there is.
/// A group with no commit on a partition (not started yet, or named otherwise) keeps the partition to the retention.
/// </remarks>
internal sealed class MockRetention : IDisposable
{
    private static readonly TimeSpan LongestInterval = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(5);

    private readonly MockKafkaCluster cluster;
    private readonly TimeSpan retention;
    private readonly ConsumedRetention? consumed;
    private readonly ILogger logger;
    private readonly CancellationTokenSource stopping = new();
    // Per partition, oldest first: when a high watermark was read (Stopwatch timestamp) and what it was.
    private readonly Dictionary<TopicPartition, Queue<(long ReadAt, long HighWatermark)>> sightings = [];
    private Task loop = Task.CompletedTask;

    private MockRetention(MockKafkaCluster cluster, TimeSpan retention, ConsumedRetention? consumed, ILogger logger)
    {
        this.cluster = cluster;
        this.retention = retention;
        this.consumed = consumed;
        this.logger = logger;
    }

    public static MockRetention Start(MockKafkaCluster cluster, TimeSpan retention, ConsumedRetention? consumed, ILogger logger)
    {
        var mockRetention = new MockRetention(cluster, retention, consumed, logger);
        mockRetention.loop = Task.Run(mockRetention.RunLoggedAsync);
        return mockRetention;
    }

    /// <summary>How often the partitions are checked: often enough for a short retention, at most every 5 s.</summary>
    public static TimeSpan IntervalFor(TimeSpan retention) => retention / 4 < LongestInterval ? retention / 4 : LongestInterval;

    private async Task RunAsync()
    {
        // Reading watermarks (ListOffsets) joins no group, so the group id is never used.
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig
            {
                BootstrapServers = cluster.BootstrapServers,
                GroupId = "kinder-mock-retention",
                EnableAutoCommit = false,
            })
            .SetLogHandler((_, message) => logger.LogDebug("librdkafka {Facility}: {Message}", message.Facility, message.Message))
            .Build();
        // Committed offsets are read per group (OffsetFetch) for the partitions it reads; these consumers never
        // subscribe, so they join nothing.
        var groups = (consumed?.ReadersByTopic.Values.SelectMany(readers => readers) ?? []).Distinct()
            .ToDictionary(group => group, group => (
                Consumer: new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig
                {
                    BootstrapServers = cluster.BootstrapServers,
                    GroupId = group,
                    EnableAutoCommit = false,
                }).SetLogHandler((_, message) => logger.LogDebug("librdkafka {Facility}: {Message}", message.Facility, message.Message)).Build(),
                Partitions: cluster.Partitions
                    .Where(partition => consumed!.ReadersByTopic.TryGetValue(partition.Topic, out var readers) && readers.Contains(group))
                    .ToList()));
        using var timer = new PeriodicTimer(IntervalFor(consumed is null ? retention : consumed.After));
        try
        {
            while (await timer.WaitForNextTickAsync(stopping.Token))
            {
                try
                {
                    Pass(consumer, groups);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    // Retention is housekeeping: the broker must keep serving whatever goes wrong here.
                    logger.LogWarning(exception, "Mock Kafka retention: a pass failed; trying again at the next one.");
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Disposed.
        }
        finally
        {
            foreach (var (groupConsumer, _) in groups.Values)
                groupConsumer.Dispose();
        }
    }

    private async Task RunLoggedAsync()
    {
        try
        {
            await RunAsync();
        }
        catch (Exception exception)
        {
            // Never takes the broker down: without retention it still serves, as it did before there was any.
            logger.LogError(exception, "Mock Kafka retention stopped; records are no longer deleted by age.");
        }
    }

    private void Pass(IConsumer<Ignore, Ignore> consumer,
        IReadOnlyDictionary<string, (IConsumer<Ignore, Ignore> Consumer, List<TopicPartition> Partitions)> groups)
    {
        var deletedPerTopic = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var committed = Committed(groups);
        foreach (var partition in cluster.Partitions)
        {
            stopping.Token.ThrowIfCancellationRequested();
            WatermarkOffsets watermarks;
            try
            {
                watermarks = consumer.QueryWatermarkOffsets(partition, QueryTimeout);
            }
            catch (KafkaException exception)
            {
                logger.LogWarning("Mock Kafka retention: could not read the watermarks of {Partition}: {Reason}",
                    partition, exception.Error.Reason);
                continue;
            }

            // Read after the query returned: every record below this high watermark was written by now.
            var readAt = Stopwatch.GetTimestamp();
            Note(partition, readAt, watermarks.High);
            var before = Math.Max(Sighted(partition, readAt, retention) ?? 0, ConsumedCut(partition, readAt, committed) ?? 0);
            if (before <= watermarks.Low.Value)
                continue; // nothing old enough, or gone already (the mock's own cap also moves the log start)

            var error = cluster.DeleteRecords(partition, before);
            if (error == ErrorCode.NoError)
                deletedPerTopic[partition.Topic] = deletedPerTopic.GetValueOrDefault(partition.Topic) + before - watermarks.Low.Value;
            else
                logger.LogWarning("Mock Kafka retention: deleting the records of {Partition} before offset {Offset} failed: {Error}",
                    partition, before, error);
        }

        // Consumed records go every few seconds: logged at debug, the age-only deletions as before.
        if (deletedPerTopic.Count > 0)
            logger.Log(consumed is null ? LogLevel.Information : LogLevel.Debug,
                "Mock Kafka retention: deleted {Records} records (older than {Retention}, or consumed) from {Topics}",
                deletedPerTopic.Values.Sum(), retention,
                string.Join(", ", deletedPerTopic.Select(topic => $"{topic.Key} ({topic.Value})")));
    }

    /// <summary>Each reading group's committed offset per partition of the consumed-retention topics (absent: none).</summary>
    private Dictionary<(string Group, TopicPartition Partition), long> Committed(
        IReadOnlyDictionary<string, (IConsumer<Ignore, Ignore> Consumer, List<TopicPartition> Partitions)> groups)
    {
        var committed = new Dictionary<(string, TopicPartition), long>();
        foreach (var (group, (groupConsumer, partitions)) in groups)
        {
            try
            {
                foreach (var offset in groupConsumer.Committed(partitions, QueryTimeout))
                    if (offset.Offset.Value >= 0)
                        committed[(group, offset.TopicPartition)] = offset.Offset.Value;
            }
            catch (KafkaException exception)
            {
                // Without its commits this pass deletes only by age.
                logger.LogWarning("Mock Kafka retention: could not read the commits of group {Group}: {Reason}", group, exception.Error.Reason);
            }
        }
        return committed;
    }

    /// <summary>
    /// Where the partition's consumed records end: the lowest commit of the groups that read its topic, but no later
    /// than the newest high watermark read the consumed retention ago. Null if a group has not committed there.
    /// </summary>
    private long? ConsumedCut(TopicPartition partition, long readAt, Dictionary<(string, TopicPartition), long> committed)
    {
        if (consumed is null || !consumed.ReadersByTopic.TryGetValue(partition.Topic, out var readers) || readers.Count == 0)
            return null;
        var lowest = long.MaxValue;
        foreach (var group in readers)
        {
            if (!committed.TryGetValue((group, partition), out var offset)) return null;
            lowest = Math.Min(lowest, offset);
        }
        return Sighted(partition, readAt, consumed.After) is { } old ? Math.Min(lowest, old) : null;
    }

    /// <summary>Notes a sighting of the partition's high watermark; those older than the retention are of no more use.</summary>
    private void Note(TopicPartition partition, long readAt, Offset highWatermark)
    {
        if (!sightings.TryGetValue(partition, out var history))
            sightings[partition] = history = new Queue<(long, long)>();
        history.Enqueue((readAt, highWatermark.Value));
        // The newest sighting past the retention stays: it is the age cut until a newer one is old enough.
        while (history.Count > 1 && Stopwatch.GetElapsedTime(history.ElementAt(1).ReadAt, readAt) >= retention)
            history.Dequeue();
    }

    /// <summary>The newest high watermark read at least <paramref name="age"/> ago, if any.</summary>
    private long? Sighted(TopicPartition partition, long readAt, TimeSpan age)
    {
        long? cut = null;
        foreach (var (sightedAt, highWatermark) in sightings[partition])
        {
            if (Stopwatch.GetElapsedTime(sightedAt, readAt) < age) break;
            cut = highWatermark;
        }
        return cut;
    }

    public void Dispose()
    {
        stopping.Cancel();
        // A pass stops between two partitions; a query in flight ends within its timeout.
        loop.Wait();
        stopping.Dispose();
    }
}

/// <summary>
/// Consumed-record retention: a record of a topic in <paramref name="ReadersByTopic"/> goes once it is
/// <paramref name="After"/> old and every group listed for its topic has committed past it.
/// </summary>
public sealed record ConsumedRetention(TimeSpan After, IReadOnlyDictionary<string, IReadOnlyList<string>> ReadersByTopic);
