using System.Diagnostics;
using System.Text.Json;
using Confluent.Kafka;
using Kinder.KafkaMock;

namespace Kinder.Tests.Messaging;

/// <summary>
/// The mock's long poll (<see cref="MockKafkaCluster.StartLongPoll"/>): a consumer that waits 10 s per fetch still
/// gets a record as soon as it is produced, and an idle one does not poll. Without the relay the mock would hold that
/// fetch its whole 10 s.
/// </summary>
public sealed class MockKafkaLongPollTests
{
    private const int FetchWaitMs = 10_000;

    [Fact]
    public async Task A_record_reaches_a_consumer_waiting_long_at_once_and_an_idle_consumer_does_not_poll()
    {
        using var cluster = MockKafkaCluster.Start(brokers: 2);
        cluster.StartLongPoll();
        cluster.CreateTopic("long-poll", partitions: 4);
        cluster.CreateTopic("other", partitions: 1);

        var statistics = new List<string>();
        using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig
            {
                BootstrapServers = cluster.BootstrapServers,
                GroupId = "long-poll-" + Guid.NewGuid(),
                AutoOffsetReset = AutoOffsetReset.Earliest,
                FetchWaitMaxMs = FetchWaitMs,
                SessionTimeoutMs = 6000,
                StatisticsIntervalMs = 1000,
            })
            .SetStatisticsHandler((_, json) => { lock (statistics) statistics.Add(json); })
            .Build();
        consumer.Subscribe("long-poll");
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig
        {
            BootstrapServers = cluster.BootstrapServers, EnableIdempotence = true, LingerMs = 0,
        }).Build();

        // Joined and assigned, with its fetches out (nothing to read yet).
        var joined = Stopwatch.StartNew();
        while (consumer.Assignment.Count == 0 && joined.Elapsed < TimeSpan.FromSeconds(30))
            consumer.Consume(TimeSpan.FromMilliseconds(100));
        Assert.Equal(4, consumer.Assignment.Count);
        Assert.Null(consumer.Consume(TimeSpan.FromSeconds(1)));

        // A record on another topic wakes nothing for this consumer; one on its topic arrives at once.
        await producer.ProduceAsync("other", new Message<string, string> { Key = "k", Value = "elsewhere" });
        Assert.Null(consumer.Consume(TimeSpan.FromMilliseconds(500)));
        for (var i = 0; i < 3; i++)
        {
            var sent = Stopwatch.StartNew();
            await producer.ProduceAsync("long-poll", new Message<string, string> { Key = "key-" + i, Value = "value-" + i });
            var record = consumer.Consume(TimeSpan.FromMilliseconds(FetchWaitMs));
            Assert.NotNull(record);
            Assert.Equal("value-" + i, record.Message.Value);
            Assert.True(sent.Elapsed < TimeSpan.FromSeconds(3), $"record {i} took {sent.Elapsed.TotalMilliseconds} ms");
        }

        // Idle: every fetch is held (by the relay) for up to its 10 s, so in 3 s each broker sees at most one or two.
        var before = FetchRequests(Latest(statistics));
        consumer.Consume(TimeSpan.FromSeconds(3));
        var after = FetchRequests(Latest(statistics));
        Assert.InRange(after - before, 0, 2 * cluster.Brokers + 2);
    }

    private static string Latest(List<string> statistics)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(5))
        {
            lock (statistics)
                if (statistics.Count > 0)
                    return statistics[^1];
            Thread.Sleep(100);
        }
        throw new TimeoutException("No statistics from the consumer.");
    }

    /// <summary>Fetch requests sent to the brokers so far (librdkafka's statistics: brokers.*.req.Fetch).</summary>
    private static long FetchRequests(string statistics)
    {
        using var json = JsonDocument.Parse(statistics);
        return json.RootElement.GetProperty("brokers").EnumerateObject()
            .Where(broker => broker.Value.GetProperty("nodeid").GetInt32() >= 0)
            .Sum(broker => broker.Value.TryGetProperty("req", out var requests) && requests.TryGetProperty("Fetch", out var fetch)
                ? fetch.GetInt64()
                : 0);
    }
}
