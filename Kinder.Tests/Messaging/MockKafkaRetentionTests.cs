using System.Diagnostics;
using Confluent.Kafka;
using Kinder.KafkaMock;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Kinder.Tests.Messaging;

/// <summary>The mock cluster's time-based retention, on a cluster of its own (the shared ones run without).</summary>
public sealed class MockKafkaRetentionTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Retention = TimeSpan.FromSeconds(3);
    private static readonly string[] TopicNames = ["retention.first", "retention.second"];
    private const int PartitionsPerTopic = 2;
    private const int RecordsPerPartition = 10;

    [Fact]
    public async Task Records_older_than_the_retention_are_deleted_from_every_partition_and_younger_ones_never()
    {
        using var loggers = new LoggerFactory([new TestOutputLoggerProvider(output)]);
        using var cluster = MockKafkaCluster.Start();
        foreach (var topic in TopicNames)
            cluster.CreateTopic(topic, PartitionsPerTopic);
        cluster.StartRetention(Retention, loggers.CreateLogger<MockKafkaRetentionTests>());
        var partitions = TopicNames
            .SelectMany(topic => Enumerable.Range(0, PartitionsPerTopic).Select(partition => new TopicPartition(topic, partition)))
            .ToList();

        using var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers }).Build();
        var oldSentAt = Stopwatch.GetTimestamp();
        await ProduceAsync(producer, partitions, "old");

        // Before the retention every record is there.
        Assert.Equal(partitions.Count * RecordsPerPartition, ReadFromStart(cluster, partitions, assign: true).Count);
        using var watermarks = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig
        {
            BootstrapServers = cluster.BootstrapServers,
            GroupId = $"watermarks-{Guid.NewGuid():N}",
        }).Build();
        Assert.True(Stopwatch.GetElapsedTime(oldSentAt) < Retention, "reading took longer than the retention");
        Assert.All(partitions, partition => Assert.Equal(0, watermarks.QueryWatermarkOffsets(partition, TimeSpan.FromSeconds(5)).Low.Value));

        // Then they go, from every partition, and not one of them before the retention after it was sent.
        await Eventually.TrueAsync(() => partitions.All(partition =>
        {
            var low = watermarks.QueryWatermarkOffsets(partition, TimeSpan.FromSeconds(5)).Low.Value;
            if (low > 0)
                Assert.True(Stopwatch.GetElapsedTime(oldSentAt) >= Retention, $"{partition} lost records before the retention");
            return low == RecordsPerPartition;
        }), "every partition's log starts after the old records", timeout: Retention * 5);

        // A record written now is kept, and a new group reading from the start gets only what came after the cut.
        await ProduceAsync(producer, partitions, "new");
        var read = ReadFromStart(cluster, partitions, assign: false);
        Assert.Equal(partitions.Count * RecordsPerPartition, read.Count);
        Assert.All(read, value => Assert.StartsWith("new", value, StringComparison.Ordinal));
        Assert.All(partitions, partition =>
        {
            var offsets = watermarks.QueryWatermarkOffsets(partition, TimeSpan.FromSeconds(5));
            Assert.Equal((RecordsPerPartition, 2 * RecordsPerPartition), (offsets.Low.Value, offsets.High.Value));
        });
    }

    [Fact]
    public async Task Consumed_records_go_once_old_enough_and_every_reading_group_committed_past_them_and_others_stay()
    {
        var after = TimeSpan.FromSeconds(2);
        var read = new TopicPartition("consumed.read", 0);
        var uncommitted = new TopicPartition("consumed.read", 1);
        var unlisted = new TopicPartition("consumed.unlisted", 0);
        using var loggers = new LoggerFactory([new TestOutputLoggerProvider(output)]);
        using var cluster = MockKafkaCluster.Start();
        cluster.CreateTopic(read.Topic, 2);
        cluster.CreateTopic(unlisted.Topic, 1);
        var group = $"consumed-{Guid.NewGuid():N}";
        // Age retention far away: whatever goes here went as consumed.
        cluster.StartRetention(TimeSpan.FromMinutes(10), loggers.CreateLogger<MockKafkaRetentionTests>(),
            new ConsumedRetention(after, new Dictionary<string, IReadOnlyList<string>> { [read.Topic] = [group] }));

        using var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers }).Build();
        TopicPartition[] partitions = [read, uncommitted, unlisted];
        var oldSentAt = Stopwatch.GetTimestamp(); // before: every record is younger than this says
        await ProduceAsync(producer, partitions, "old");
        using var committer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig
        {
            BootstrapServers = cluster.BootstrapServers,
            GroupId = group,
            EnableAutoCommit = false,
        }).Build();
        committer.Commit([new TopicPartitionOffset(read, 6)]); // the group settled 0–5 of the read partition only
        using var watermarks = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig
        {
            BootstrapServers = cluster.BootstrapServers,
            GroupId = $"watermarks-{Guid.NewGuid():N}",
        }).Build();
        long Low(TopicPartition partition) => watermarks.QueryWatermarkOffsets(partition, TimeSpan.FromSeconds(5)).Low.Value;

        // What the group committed goes, once old enough; nothing past its commit, on its other partition or elsewhere.
        await Eventually.TrueAsync(() =>
        {
            var low = Low(read);
            if (low > 0)
                Assert.True(Stopwatch.GetElapsedTime(oldSentAt) >= after, "a consumed record went before it was old enough");
            return low == 6;
        }, "the committed records of the read partition go", timeout: after * 5);
        await Task.Delay(after); // passes enough to have gone further, had they been wrong
        Assert.Equal((6L, 0L, 0L), (Low(read), Low(uncommitted), Low(unlisted)));

        // A record committed at once is kept until it is old enough, then goes too.
        var newSentAt = Stopwatch.GetTimestamp();
        await ProduceAsync(producer, [read], "new");
        committer.Commit([new TopicPartitionOffset(read, 2 * RecordsPerPartition)]);
        await Eventually.TrueAsync(() =>
        {
            var low = Low(read);
            if (low > RecordsPerPartition)
                Assert.True(Stopwatch.GetElapsedTime(newSentAt) >= after, "a consumed record went before it was old enough");
            return low == 2 * RecordsPerPartition;
        }, "every committed record goes", timeout: after * 5);
        Assert.Equal((0L, 0L), (Low(uncommitted), Low(unlisted)));
    }

    private static Task ProduceAsync(IProducer<Null, string> producer, IEnumerable<TopicPartition> partitions, string prefix) =>
        Task.WhenAll(partitions.SelectMany(partition => Enumerable.Range(0, RecordsPerPartition).Select(i =>
            producer.ProduceAsync(partition, new Message<Null, string> { Value = $"{prefix}-{partition}-{i}" }))));

    /// <summary>
    /// Every record from the log start of each partition: assigned directly, or through a new group that starts at
    /// <c>earliest</c> as Kinder's consumers do.
    /// </summary>
    private static List<string> ReadFromStart(MockKafkaCluster cluster, IReadOnlyList<TopicPartition> partitions, bool assign)
    {
        using var consumer = new ConsumerBuilder<Ignore, string>(new ConsumerConfig
        {
            BootstrapServers = cluster.BootstrapServers,
            GroupId = $"retention-reader-{Guid.NewGuid():N}",
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
            EnablePartitionEof = true,
            FetchWaitMaxMs = 10,
        }).Build();
        if (assign)
            consumer.Assign(partitions.Select(partition => new TopicPartitionOffset(partition, Offset.Beginning)));
        else
            consumer.Subscribe(partitions.Select(partition => partition.Topic).Distinct());

        var values = new List<string>();
        var atEnd = new HashSet<TopicPartition>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (atEnd.Count < partitions.Count)
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Only {atEnd.Count} of {partitions.Count} partitions were read to their end.");
            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result is null) continue;
            if (result.IsPartitionEOF) atEnd.Add(result.TopicPartition);
            else values.Add(result.Message.Value);
        }
        consumer.Close();
        return values;
    }
}
