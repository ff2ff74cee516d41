using System.Collections.Concurrent;
using Kinder.Messaging;
using Kinder.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit.Abstractions;

namespace Kinder.Tests.Messaging;

/// <summary>Batch consumers (<c>AddKafkaBatchConsumer</c>): several fetched records per call, one-by-one on failure.</summary>
[Collection(KafkaCollection.Name)]
public sealed class KafkaBatchConsumerTests(KafkaFixture kafka, ITestOutputHelper output)
{
    [Fact]
    public async Task A_backlog_is_handed_over_in_batches_in_partition_order_and_committed()
    {
        var topic = kafka.CreateTopic("batch", partitions: 1);
        var group = KafkaFixture.UniqueGroup("batch");
        var sent = await ProduceAsync(topic, 50);
        var probe = new BatchProbe();

        using (var host = await StartAsync(probe, group, topic))
        {
            await Eventually.TrueAsync(() => probe.Handled.Count >= sent.Count, "every record is handled");
            await host.StopAsync();
        }

        Assert.Equal(sent, probe.Handled.Select(record => record.Envelope.Id));
        Assert.Contains(probe.BatchSizes, size => size > 1);
        Assert.All(probe.BatchSizes, size => Assert.InRange(size, 2, 10)); // a lone record takes the one-record path

        // Committed: the group starts after them next time.
        var later = await ProduceAsync(topic, 1);
        var again = new BatchProbe();
        using var restarted = await StartAsync(again, group, topic);
        await Eventually.TrueAsync(() => again.Handled.Count >= 1, "the later record is handled");
        await restarted.StopAsync();
        Assert.Equal(later, again.Handled.Select(record => record.Envelope.Id));
    }

    [Fact]
    public async Task A_failing_batch_is_handled_one_record_at_a_time_and_only_the_bad_record_is_dead_lettered()
    {
        var topic = kafka.CreateTopic("batch-poison", partitions: 1);
        var sent = await ProduceAsync(topic, 5);
        var poison = sent[2];
        var probe = new BatchProbe { Fails = record => record.Envelope.Id == poison };

        using var host = await StartAsync(probe, KafkaFixture.UniqueGroup("batch-poison"), topic);
        await Eventually.TrueAsync(() => probe.Handled.Count >= sent.Count - 1, "every good record is handled");
        await host.StopAsync();

        Assert.Equal(sent.Where(id => id != poison), probe.Handled.Select(record => record.Envelope.Id));
        Assert.Equal(KafkaTestHost.MaxAttempts, probe.SingleAttemptsFor(poison));
        var deadLetter = Assert.Single(KafkaTestHost.ReadPartition(kafka.BootstrapServers, Topics.DeadLetter(topic)));
        Assert.Equal(poison.ToString(), System.Text.Encoding.UTF8.GetString(deadLetter.Message.Headers.GetLastBytes(KafkaHeaderNames.MessageId)));
    }

    [Fact]
    public async Task A_batch_with_a_wait_gathers_records_that_arrive_one_by_one()
    {
        var topic = kafka.CreateTopic("batch-wait", partitions: 1);
        var probe = new BatchProbe();
        using var host = await StartAsync(probe, KafkaFixture.UniqueGroup("batch-wait"), topic, TimeSpan.FromSeconds(5));

        // A lone record is handled too, once its wait is over (and the group is surely reading).
        var first = await ProduceAsync(topic, 1);
        await Eventually.TrueAsync(() => probe.Handled.Count >= 1, "the lone record is handled");

        // Five records 100 ms apart, from one producer (a producer per record took seconds on a loaded machine, longer
        // than the wait): without the wait each would be handled as it came.
        var spaced = await ProduceAsync(topic, 5, TimeSpan.FromMilliseconds(100));
        await Eventually.TrueAsync(() => probe.Handled.Count >= 6, "the five records are handled");
        await host.StopAsync();

        Assert.Equal(first.Concat(spaced), probe.Handled.Select(record => record.Envelope.Id));
        Assert.Equal([5], probe.BatchSizes);
    }

    private async Task<List<Guid>> ProduceAsync(string topic, int count, TimeSpan apart = default)
    {
        using var producerHost = KafkaTestHost.Create(kafka.BootstrapServers, output);
        var producer = producerHost.Services.GetRequiredService<IKafkaProducer>();
        var ids = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            if (i > 0 && apart > TimeSpan.Zero)
                await Task.Delay(apart);
            var envelope = KafkaEnvelope.Create(ChatMessageSent.Type, new ChatMessageSent("c1", i, $"m{i}"));
            await producer.ProduceAsync(topic, "c1", envelope);
            ids.Add(envelope.Id);
        }
        return ids;
    }

    private async Task<IHost> StartAsync(BatchProbe probe, string group, string topic, TimeSpan maxBatchWait = default)
    {
        var host = KafkaTestHost.Create(kafka.BootstrapServers, output, services => services
            .AddSingleton(probe)
            .AddKafkaBatchConsumer<BatchProbeHandler>(group, maxBatchSize: 10, [topic], maxBatchWait));
        await host.StartAsync();
        return host;
    }

    public sealed class BatchProbe
    {
        public Func<KafkaRecord, bool> Fails { get; init; } = _ => false;
        public ConcurrentQueue<KafkaRecord> Handled { get; } = new();
        public ConcurrentQueue<int> BatchSizes { get; } = new();
        public ConcurrentQueue<Guid> SingleAttempts { get; } = new();
        public int SingleAttemptsFor(Guid id) => SingleAttempts.Count(attempt => attempt == id);
    }

    public sealed class BatchProbeHandler(BatchProbe probe) : IKafkaBatchHandler
    {
        public Task HandleAsync(KafkaRecord record, CancellationToken cancellationToken)
        {
            probe.SingleAttempts.Enqueue(record.Envelope.Id);
            if (probe.Fails(record))
                throw new InvalidOperationException("bad record");
            probe.Handled.Enqueue(record);
            return Task.CompletedTask;
        }

        public Task HandleBatchAsync(IReadOnlyList<KafkaRecord> records, CancellationToken cancellationToken)
        {
            probe.BatchSizes.Enqueue(records.Count);
            if (records.Any(probe.Fails))
                throw new InvalidOperationException("a bad record in the batch");
            foreach (var record in records)
                probe.Handled.Enqueue(record);
            return Task.CompletedTask;
        }
    }
}
