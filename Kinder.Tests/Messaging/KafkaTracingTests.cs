using System.Collections.Concurrent;
using System.Diagnostics;
using Kinder.Messaging;
using Kinder.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Kinder.Tests.Messaging;

[Collection(KafkaCollection.Name)]
public sealed class KafkaTracingTests : IDisposable
{
    private const string TestSourceName = "Kinder.Tests.Messaging";
    private static readonly ActivitySource TestSource = new(TestSourceName);

    private readonly KafkaFixture kafka;
    private readonly ITestOutputHelper output;
    private readonly ActivityListener listener;
    private readonly ConcurrentQueue<Activity> stopped = new();

    public KafkaTracingTests(KafkaFixture kafka, ITestOutputHelper output)
    {
        this.kafka = kafka;
        this.output = output;
        // What OpenTelemetry does once ServiceDefaults adds the source: sample everything, so spans are created.
        listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is MessagingTelemetry.ActivitySourceName or TestSourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
    }

    [Fact]
    public async Task The_consumer_span_continues_the_trace_of_the_request_that_published_the_record()
    {
        var topic = kafka.CreateTopic("tracing", partitions: 1);
        using var producerHost = KafkaTestHost.Create(kafka.BootstrapServers, output);
        var producer = producerHost.Services.GetRequiredService<IKafkaProducer>();
        ActivityTraceId requestTrace;
        using (var request = TestSource.StartActivity("POST /api/v1/conversations/c1/messages", ActivityKind.Server)!)
        {
            requestTrace = request.TraceId;
            await producer.ProduceAsync(topic, "c1", KafkaEnvelope.Create(ChatMessageSent.Type, new ChatMessageSent("c1", 1, "hi")));
        }

        var probe = new HandlerProbe();
        using var host = await KafkaTestHost.StartConsumerAsync(kafka.BootstrapServers, output, probe, KafkaFixture.UniqueGroup("tracing"), topic);
        await Eventually.TrueAsync(() => !probe.Handled.IsEmpty, "the record is handled");
        await host.StopAsync();

        var publish = Assert.Single(stopped, activity => activity.DisplayName == $"{topic} publish");
        var receive = Assert.Single(probe.CurrentActivities);
        Assert.NotNull(receive);
        Assert.Equal($"{topic} receive", receive.DisplayName);
        Assert.Equal(ActivityKind.Consumer, receive.Kind);
        Assert.Equal(requestTrace, publish.TraceId);
        Assert.Equal(requestTrace, receive.TraceId);
        Assert.Equal(publish.SpanId, receive.ParentSpanId);
    }

    [Fact]
    public async Task A_record_published_later_without_a_current_span_continues_the_trace_it_was_created_in()
    {
        var topic = kafka.CreateTopic("outbox-tracing", partitions: 1);
        using var producerHost = KafkaTestHost.Create(kafka.BootstrapServers, output);
        var producer = producerHost.Services.GetRequiredService<IKafkaProducer>();
        KafkaEnvelope written;
        Activity request;
        using (request = TestSource.StartActivity("PUT /api/v1/events/e1", ActivityKind.Server)!)
            written = KafkaEnvelope.Create("events.updated", new { EventId = "e1" }); // as the outbox stores it

        Assert.Null(Activity.Current);
        await producer.ProduceAsync(topic, "e1", written); // as the outbox relay, later, publishes it

        var publish = Assert.Single(stopped, activity => activity.DisplayName == $"{topic} publish");
        Assert.Equal(request.TraceId, publish.TraceId);
        Assert.Equal(request.SpanId, publish.ParentSpanId);
        Assert.Equal(ActivityKind.Producer, publish.Kind);
        Assert.Equal("kafka", publish.GetTagItem("messaging.system"));
        Assert.Equal(topic, publish.GetTagItem("messaging.destination.name"));
        Assert.Equal("e1", publish.GetTagItem("messaging.kafka.message.key"));
        Assert.Equal(written.Id.ToString(), publish.GetTagItem("messaging.message.id"));
    }

    public void Dispose() => listener.Dispose();
}
