using System.Diagnostics;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace Kinder.KafkaMock;

/// <summary>
/// Time-based retention for the mock cluster, which has none of its own: every pass notes each partition's high
/// watermark and deletes the records below the newest one noted at least the retention ago.
/// </summary>
/// <remarks>
/// A record below the high watermark read at time t was written before t, so it is never deleted sooner than the
/// retention after it was written; it goes at most two intervals later (one until a pass sees it, one until a pass
/// finds that sighting old enough). The mock keeps no write times, so the watermarks are the only clock there is.
/// </remarks>
internal sealed class MockRetention : IDisposable
{
    private static readonly TimeSpan LongestInterval = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(5);

    private readonly MockKafkaCluster cluster;
    private readonly TimeSpan retention;
    private readonly ILogger logger;
    private readonly CancellationTokenSource stopping = new();
    // Per partition, oldest first: when a high watermark was read (Stopwatch timestamp) and what it was.
    private readonly Dictionary<TopicPartition, Queue<(long ReadAt, long HighWatermark)>> sightings = [];
    private Task loop = Task.CompletedTask;

    private MockRetention(MockKafkaCluster cluster, TimeSpan retention, ILogger logger)
    {
        this.cluster = cluster;
        this.retention = retention;
        this.logger = logger;
    }

    public static MockRetention Start(MockKafkaCluster cluster, TimeSpan retention, ILogger logger)
    {
        var mockRetention = new MockRetention(cluster, retention, logger);
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
        using var timer = new PeriodicTimer(IntervalFor(retention));
        try
        {
            while (await timer.WaitForNextTickAsync(stopping.Token))
            {
                try
                {
                    Pass(consumer);
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

    private void Pass(IConsumer<Ignore, Ignore> consumer)
    {
        var deletedPerTopic = new SortedDictionary<string, long>(StringComparer.Ordinal);
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
            if (Cut(partition, Stopwatch.GetTimestamp(), watermarks.High) is not { } before || before <= watermarks.Low.Value)
                continue; // nothing old enough, or gone already (the mock's own cap also moves the log start)

            var error = cluster.DeleteRecords(partition, before);
            if (error == ErrorCode.NoError)
                deletedPerTopic[partition.Topic] = deletedPerTopic.GetValueOrDefault(partition.Topic) + before - watermarks.Low.Value;
            else
                logger.LogWarning("Mock Kafka retention: deleting the records of {Partition} before offset {Offset} failed: {Error}",
                    partition, before, error);
        }

        if (deletedPerTopic.Count > 0)
            logger.LogInformation("Mock Kafka retention: deleted {Records} records older than {Retention} from {Topics}",
                deletedPerTopic.Values.Sum(), retention,
                string.Join(", ", deletedPerTopic.Select(topic => $"{topic.Key} ({topic.Value})")));
    }

    /// <summary>Notes this sighting and returns the newest high watermark read at least the retention ago, if any.</summary>
    private long? Cut(TopicPartition partition, long readAt, Offset highWatermark)
    {
        if (!sightings.TryGetValue(partition, out var history))
            sightings[partition] = history = new Queue<(long, long)>();
        history.Enqueue((readAt, highWatermark.Value));

        long? cut = null;
        while (history.TryPeek(out var oldest) && Stopwatch.GetElapsedTime(oldest.ReadAt, readAt) >= retention)
            cut = history.Dequeue().HighWatermark;
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
