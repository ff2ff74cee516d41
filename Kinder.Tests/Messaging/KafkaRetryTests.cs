using System.Text;
using Confluent.Kafka;
using Kinder.Messaging;
using Kinder.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Kinder.Tests.Messaging;

[Collection(KafkaCollection.Name)]
public sealed class KafkaRetryTests(KafkaFixture kafka, ITestOutputHelper output)
{
    [Fact]
    public async Task A_record_whose_handler_fails_once_is_retried_and_committed_once()
    {
        var topic = kafka.CreateTopic("retry-once", partitions: 1);
        var group = KafkaFixture.UniqueGroup("retry-once");
        using var producerHost = KafkaTestHost.Create(kafka.BootstrapServers, output);
        var producer = producerHost.Services.GetRequiredService<IKafkaProducer>();
        var flaky = KafkaEnvelope.Create(ChatMessageSent.Type, new ChatMessageSent("c1", 1, "flaky"));
        await producer.ProduceAsync(topic, "c1", flaky);

        var first = new HandlerProbe
        {
            Behaviour = (_, attempt) => attempt == 1 ? throw new InvalidOperationException("transient") : Task.CompletedTask,
        };
        using (var firstHost = await KafkaTestHost.StartConsumerAsync(kafka.BootstrapServers, output, first, group, topic))
        {
            await Eventually.TrueAsync(() => first.Handled.Any(record => record.Envelope.Id == flaky.Id), "the flaky record is handled");
            await firstHost.StopAsync();
        }

        // After a restart the group resumes past it: a later record arrives, the flaky one does not come back.
        var later = KafkaEnvelope.Create(ChatMessageSent.Type, new ChatMessageSent("c1", 2, "later"));
        await producer.ProduceAsync(topic, "c1", later);
        var second = new HandlerProbe();
        using var secondHost = await KafkaTestHost.StartConsumerAsync(kafka.BootstrapServers, output, second, group, topic);
        await Eventually.TrueAsync(() => second.Handled.Any(record => record.Envelope.Id == later.Id), "the later record is handled");
        await secondHost.StopAsync();

        Assert.Equal(2, first.AttemptsFor(flaky.Id));
        Assert.Single(first.Handled, record => record.Envelope.Id == flaky.Id);
        Assert.Equal([later.Id], second.Attempts.Select(record => record.Envelope.Id));
    }

    [Fact]
    public async Task A_record_whose_handler_always_fails_is_dead_lettered_once_with_the_error_and_the_partition_moves_on()
    {
        var topic = kafka.CreateTopic("poison", partitions: 1);
        using var producerHost = KafkaTestHost.Create(kafka.BootstrapServers, output);
        var producer = producerHost.Services.GetRequiredService<IKafkaProducer>();
        var poison = KafkaEnvelope.Create(ChatMessageSent.Type, new ChatMessageSent("c1", 1, "poison"));
        var next = KafkaEnvelope.Create(ChatMessageSent.Type, new ChatMessageSent("c1", 2, "fine"));
        await producer.ProduceAsync(topic, "c1", poison);
        await producer.ProduceAsync(topic, "c1", next);

        var probe = new HandlerProbe
        {
            Behaviour = (record, _) => record.Envelope.Id == poison.Id
                ? throw new InvalidOperationException("The conversation does not exist.")
                : Task.CompletedTask,
        };
        using var host = await KafkaTestHost.StartConsumerAsync(kafka.BootstrapServers, output, probe, KafkaFixture.UniqueGroup("poison"), topic);
        await Eventually.TrueAsync(() => probe.Handled.Any(record => record.Envelope.Id == next.Id), "the record after the poison one is handled");
        await host.StopAsync();

        Assert.Equal(KafkaTestHost.MaxAttempts, probe.AttemptsFor(poison.Id));
        var deadLetter = Assert.Single(KafkaTestHost.ReadPartition(kafka.BootstrapServers, Topics.DeadLetter(topic)));
        Assert.Equal("c1", deadLetter.Message.Key);
        Assert.Equal(poison.Payload, deadLetter.Message.Value);
        string Header(string name) => Encoding.UTF8.GetString(deadLetter.Message.Headers.GetLastBytes(name));
        Assert.Equal(poison.Id.ToString(), Header(KafkaHeaderNames.MessageId));
        Assert.Equal("The conversation does not exist.", Header(KafkaHeaderNames.DeadLetterError));
        Assert.Equal(typeof(InvalidOperationException).FullName, Header(KafkaHeaderNames.DeadLetterErrorType));
        Assert.Equal(topic, Header(KafkaHeaderNames.DeadLetterOriginalTopic));
        Assert.Equal("0", Header(KafkaHeaderNames.DeadLetterOriginalPartition));
        Assert.Equal("0", Header(KafkaHeaderNames.DeadLetterOriginalOffset));
        Assert.Equal(KafkaTestHost.MaxAttempts.ToString(), Header(KafkaHeaderNames.DeadLetterAttempts));
    }

    [Fact]
    public async Task A_record_that_is_not_an_envelope_is_dead_lettered_without_reaching_the_handler()
    {
        var topic = kafka.CreateTopic("malformed", partitions: 1);
        var garbage = Encoding.UTF8.GetBytes("{not json");
        using (var raw = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers }).Build())
            await raw.ProduceAsync(topic, new Message<string, byte[]> { Key = "c1", Value = garbage });
        using var producerHost = KafkaTestHost.Create(kafka.BootstrapServers, output);
        var valid = KafkaEnvelope.Create(ChatMessageSent.Type, new ChatMessageSent("c1", 1, "fine"));
        await producerHost.Services.GetRequiredService<IKafkaProducer>().ProduceAsync(topic, "c1", valid);

        var probe = new HandlerProbe();
        using var host = await KafkaTestHost.StartConsumerAsync(kafka.BootstrapServers, output, probe, KafkaFixture.UniqueGroup("malformed"), topic);
        await Eventually.TrueAsync(() => !probe.Handled.IsEmpty, "the valid record is handled");
        await host.StopAsync();

        Assert.Equal([valid.Id], probe.Attempts.Select(record => record.Envelope.Id));
        var deadLetter = Assert.Single(KafkaTestHost.ReadPartition(kafka.BootstrapServers, Topics.DeadLetter(topic)));
        Assert.Equal(garbage, deadLetter.Message.Value);
        Assert.Equal(typeof(MalformedEnvelopeException).FullName,
            Encoding.UTF8.GetString(deadLetter.Message.Headers.GetLastBytes(KafkaHeaderNames.DeadLetterErrorType)));
        Assert.Equal("1", Encoding.UTF8.GetString(deadLetter.Message.Headers.GetLastBytes(KafkaHeaderNames.DeadLetterAttempts)));
    }
}
