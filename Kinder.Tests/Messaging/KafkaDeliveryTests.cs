using Confluent.Kafka;
using Kinder.Messaging;
using Kinder.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Kinder.Tests.Messaging;

[Collection(KafkaCollection.Name)]
public sealed class KafkaDeliveryTests(KafkaFixture kafka, ITestOutputHelper output)
{
    [Fact]
    public async Task A_consumer_group_receives_every_record_of_the_idempotent_producer_in_partition_order()
    {
        const int count = 1000;
        var topic = kafka.CreateTopic("ordering");
        using var producerHost = KafkaTestHost.Create(kafka.BootstrapServers, output);
        var producer = producerHost.Services.GetRequiredService<IKafkaProducer>();

        // Started in order and awaited together, so librdkafka batches and pipelines them as it would under load.
        await Task.WhenAll(Enumerable.Range(0, count).Select(sequence =>
        {
            var conversation = $"conversation-{sequence % 16}";
            return producer.ProduceAsync(topic, conversation,
                KafkaEnvelope.Create(ChatMessageSent.Type, new ChatMessageSent(conversation, sequence, "hi")));
        }));

        var probe = new HandlerProbe();
        using var consumerHost = await KafkaTestHost.StartConsumerAsync(kafka.BootstrapServers, output, probe, KafkaFixture.UniqueGroup("ordering"), topic);
        await Eventually.TrueAsync(() => probe.Handled.Count >= count, $"{count} records are handled");
        await consumerHost.StopAsync();

        var handled = probe.Handled.ToList();
        Assert.Equal(count, handled.Count);
        Assert.Equal(count, handled.Select(record => record.Envelope.Id).Distinct().Count());
        Assert.All(handled.GroupBy(record => record.Partition), partition =>
            Assert.Equal(partition.Select(record => record.Offset).Order(), partition.Select(record => record.Offset)));
        Assert.All(handled.GroupBy(record => record.Key), conversation =>
        {
            Assert.Single(conversation.Select(record => record.Partition).Distinct());
            var sequences = conversation.Select(record => record.Envelope.Deserialize<ChatMessageSent>().Sequence).ToList();
            Assert.Equal(sequences.Order(), sequences);
        });
    }

    [Fact]
    public async Task Stopping_the_consumer_mid_stream_and_starting_again_loses_nothing_and_redelivers_nothing_committed()
    {
        const int count = 400;
        var topic = kafka.CreateTopic("restart");
        var group = KafkaFixture.UniqueGroup("restart");
        using var producerHost = KafkaTestHost.Create(kafka.BootstrapServers, output);
        var producer = producerHost.Services.GetRequiredService<IKafkaProducer>();
        var sent = Enumerable.Range(0, count)
            .Select(sequence => KafkaEnvelope.Create(ChatMessageSent.Type, new ChatMessageSent($"c{sequence % 8}", sequence, "hi")))
            .ToList();
        await Task.WhenAll(sent.Select(envelope => producer.ProduceAsync(topic, envelope.Deserialize<ChatMessageSent>().ConversationId, envelope)));

        // Slow enough that the stop lands mid-stream, with a record in flight.
        var first = new HandlerProbe { Behaviour = (_, _) => Task.Delay(5) };
        using (var firstHost = await KafkaTestHost.StartConsumerAsync(kafka.BootstrapServers, output, first, group, topic))
        {
            await Eventually.TrueAsync(() => first.Handled.Count >= 100, "the first consumer is mid-stream");
            await firstHost.StopAsync();
        }
        var committed = CommittedOffsets(group, topic);

        var second = new HandlerProbe();
        using var secondHost = await KafkaTestHost.StartConsumerAsync(kafka.BootstrapServers, output, second, group, topic);
        var seen = () => first.Handled.Concat(second.Handled).Select(record => record.Envelope.Id).ToHashSet();
        await Eventually.TrueAsync(() => seen().Count == count, "every record is handled by one consumer or the other");
        await secondHost.StopAsync();

        Assert.InRange(first.Handled.Count, 100, count - 1);
        Assert.Equal(sent.Select(envelope => envelope.Id).ToHashSet(), seen());
        // The first consumer finished its in-flight record and committed everything it handled…
        Assert.All(first.Handled.GroupBy(record => record.Partition), partition =>
            Assert.Equal(partition.Max(record => record.Offset) + 1, committed[partition.Key]));
        // …so the second one starts exactly there.
        Assert.All(second.Handled, record => Assert.True(record.Offset >= committed.GetValueOrDefault(record.Partition, 0),
            $"{record.Topic}[{record.Partition}]@{record.Offset} was committed before the restart but delivered again"));
    }

    private Dictionary<int, long> CommittedOffsets(string group, string topic)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig
        {
            BootstrapServers = kafka.BootstrapServers,
            GroupId = group,
        }).Build();
        var partitions = Enumerable.Range(0, 4).Select(partition => new TopicPartition(topic, partition));
        return consumer.Committed(partitions, TimeSpan.FromSeconds(5))
            .Where(offset => offset.Offset != Offset.Unset)
            .ToDictionary(offset => offset.Partition.Value, offset => offset.Offset.Value);
    }
}
