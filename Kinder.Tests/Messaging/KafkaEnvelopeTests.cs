using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Kinder.Messaging;
using Kinder.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Kinder.Tests.Messaging;

[Collection(KafkaCollection.Name)]
public sealed class KafkaEnvelopeTests(KafkaFixture kafka, ITestOutputHelper output)
{
    [Fact]
    public void An_envelope_round_trips_its_payload_as_camel_case_json()
    {
        var envelope = KafkaEnvelope.Create(ChatMessageSent.Type, new ChatMessageSent("c1", 7, "hello"));

        Assert.Equal("""{"conversationId":"c1","sequence":7,"text":"hello"}""", Encoding.UTF8.GetString(envelope.Payload));
        Assert.Equal(new ChatMessageSent("c1", 7, "hello"), envelope.Deserialize<ChatMessageSent>());
        Assert.Equal(TimeSpan.Zero, envelope.OccurredAt.Offset);
    }

    [Fact]
    public async Task A_published_record_carries_id_type_time_and_trace_headers_and_the_key()
    {
        var topic = kafka.CreateTopic("headers", partitions: 1);
        using var host = KafkaTestHost.Create(kafka.BootstrapServers, output);
        var envelope = KafkaEnvelope.Create(ChatMessageSent.Type, new ChatMessageSent("c1", 1, "hi"))
            with { TraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", TraceState = "kinder=1" };

        await host.Services.GetRequiredService<IKafkaProducer>().ProduceAsync(topic, "c1", envelope);

        var record = Assert.Single(KafkaTestHost.ReadPartition(kafka.BootstrapServers, topic));
        string Header(string name) => Encoding.UTF8.GetString(record.Message.Headers.GetLastBytes(name));
        Assert.Equal("c1", record.Message.Key);
        Assert.Equal(envelope.Payload, record.Message.Value);
        Assert.Equal(envelope.Id, Guid.Parse(Header(KafkaHeaderNames.MessageId)));
        Assert.Equal(ChatMessageSent.Type, Header(KafkaHeaderNames.MessageType));
        var occurredAt = DateTimeOffset.Parse(Header(KafkaHeaderNames.OccurredAt), CultureInfo.InvariantCulture);
        Assert.Equal(envelope.OccurredAt, occurredAt);
        Assert.EndsWith("Z", Header(KafkaHeaderNames.OccurredAt));
        // The stored trace continues: with no listener the context travels unchanged; when another host in this
        // process listens, a publish span is its child (same trace id, new span id).
        Assert.StartsWith("00-0af7651916cd43dd8448eb211c80319c-", Header(KafkaHeaderNames.TraceParent));
        Assert.Equal("kinder=1", Header(KafkaHeaderNames.TraceState));
        JsonDocument.Parse(record.Message.Value!).Dispose();
    }

    [Fact]
    public void An_envelope_created_inside_a_span_remembers_its_trace_context()
    {
        using var activity = new Activity("request").SetIdFormat(ActivityIdFormat.W3C).Start();

        var envelope = KafkaEnvelope.Create("events.updated", new { EventId = "e1" });

        Assert.Equal(activity.Id, envelope.TraceParent);
    }
}
