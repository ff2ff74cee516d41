using System.Diagnostics;
using System.Text.Json;
using Confluent.Kafka;
using Kinder.KafkaMock;

namespace Kinder.Tests.Messaging;

/// <summary>
/// The mock's fetch as tools/Kinder.KafkaMock/librdkafka/mock-fetch.patch makes it (docs/decisions/0001): a held fetch
/// answers when a record arrives, and one fetch returns every record set that fits. Upstream's mock holds every empty
/// fetch for the consumer's whole wait and returns one set per partition, so both tests fail against it.
/// </summary>
public sealed class MockKafkaFetchTests
{
    [Fact]
    public async Task A_held_fetch_answers_when_a_record_arrives_not_when_the_consumers_wait_is_over()
    {
        using var cluster = MockKafkaCluster.Start();
        var partition = new TopicPartition("fetch.wake", 0);
        cluster.CreateTopic(partition.Topic, partitions: 1);
        using var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers }).Build();
        using var consumer = new ConsumerBuilder<Ignore, string>(new ConsumerConfig
        {
            BootstrapServers = cluster.BootstrapServers,
            GroupId = $"fetch-wake-{Guid.NewGuid():N}",
            EnableAutoCommit = false,
            // Two minutes per empty fetch (librdkafka wants the socket timeout a second longer): held that long, no
            // record could be read within the half minute each one is given below.
            FetchWaitMaxMs = 120_000,
            SocketTimeoutMs = 121_000,
        }).Build();
        consumer.Assign(new TopicPartitionOffset(partition, 0));

        for (var i = 0; i < 3; i++)
        {
            // Nothing to read: the consumer's fetch is held by the broker until…
            Assert.Null(consumer.Consume(TimeSpan.FromMilliseconds(500)));
            // …a record arrives, which answers it.
            await producer.ProduceAsync(partition, new Message<Null, string> { Value = $"record-{i}" });
            Assert.Equal($"record-{i}", consumer.Consume(TimeSpan.FromSeconds(30))?.Message.Value);
        }
    }

    [Fact]
    public async Task One_fetch_returns_every_record_set_that_fits_so_a_backlog_drains_in_a_few_round_trips()
    {
        const int Records = 200;
        using var cluster = MockKafkaCluster.Start();
        var partition = new TopicPartition("fetch.backlog", 0);
        cluster.CreateTopic(partition.Topic, partitions: 1);
        using (var producer = new ProducerBuilder<Null, string>(new ProducerConfig
               {
                   BootstrapServers = cluster.BootstrapServers,
                   LingerMs = 0,
               }).Build())
        {
            // One at a time: every record is a record set (batch) of its own in the log.
            for (var i = 0; i < Records; i++)
                await producer.ProduceAsync(partition, new Message<Null, string> { Value = $"record-{i}" });
        }

        string? statistics = null;
        using var consumer = new ConsumerBuilder<Ignore, string>(new ConsumerConfig
            {
                BootstrapServers = cluster.BootstrapServers,
                GroupId = $"fetch-backlog-{Guid.NewGuid():N}",
                EnableAutoCommit = false,
                StatisticsIntervalMs = 100,
            })
            .SetStatisticsHandler((_, json) => Volatile.Write(ref statistics, json))
            .Build();
        consumer.Assign(new TopicPartitionOffset(partition, 0));

        var values = new List<string>();
        var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 20;
        while (values.Count < Records && Stopwatch.GetTimestamp() < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { } result)
                values.Add(result.Message.Value);
        }
        Assert.Equal(Enumerable.Range(0, Records).Select(i => $"record-{i}"), values);

        // Statistics written after the last record was read count every fetch that read them.
        Volatile.Write(ref statistics, null);
        while (Volatile.Read(ref statistics) is null && Stopwatch.GetTimestamp() < deadline)
            consumer.Consume(TimeSpan.FromMilliseconds(100));
        var fetches = FetchRequests(Volatile.Read(ref statistics) ?? throw new TimeoutException("No statistics arrived."));
        Assert.InRange(fetches, 1, Records / 10);
    }

    /// <summary>Fetch requests the client sent, over all its brokers (librdkafka's statistics, brokers.*.req.Fetch).</summary>
    private static long FetchRequests(string statistics)
    {
        using var document = JsonDocument.Parse(statistics);
        return document.RootElement.GetProperty("brokers").EnumerateObject()
            .Sum(broker => broker.Value.TryGetProperty("req", out var requests) && requests.TryGetProperty("Fetch", out var fetch)
                ? fetch.GetInt64()
                : 0);
    }
}
