using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Kinder.Messaging;
using Kinder.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Kinder.Tests.Messaging;

/// <summary>The hop-by-hop histograms of <see cref="MessagingTelemetry"/>: publish, record age, processing.</summary>
[Collection(KafkaCollection.Name)]
public sealed class KafkaMetricsTests : IDisposable
{
    private readonly KafkaFixture kafka;
    private readonly ITestOutputHelper output;
    private readonly MeterListener listener = new();
    private readonly ConcurrentQueue<(string Instrument, double Value, Dictionary<string, object?> Tags)> measurements = new();

    public KafkaMetricsTests(KafkaFixture kafka, ITestOutputHelper output)
    {
        this.kafka = kafka;
        this.output = output;
        // What OpenTelemetry does once ServiceDefaults adds the meter.
        listener.InstrumentPublished = (instrument, meterListener) =>
        {
            if (instrument.Meter.Name == MessagingTelemetry.MeterName)
                meterListener.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
            measurements.Enqueue((instrument.Name, value, tags.ToArray().ToDictionary(tag => tag.Key, tag => tag.Value))));
        listener.Start();
    }

    [Fact]
    public async Task A_record_is_timed_at_its_publish_its_age_when_consumed_and_its_handling()
    {
        var topic = kafka.CreateTopic("metrics", partitions: 1);
        var group = KafkaFixture.UniqueGroup("metrics");
        var waited = TimeSpan.FromMilliseconds(300);
        var handling = TimeSpan.FromMilliseconds(100);
        using var producerHost = KafkaTestHost.Create(kafka.BootstrapServers, output);
        await producerHost.Services.GetRequiredService<IKafkaProducer>()
            .ProduceAsync(topic, "c1", KafkaEnvelope.Create(ChatMessageSent.Type, new ChatMessageSent("c1", 1, "hi")));
        await AtLeastAsync(waited); // the record waits on the broker before anyone consumes it

        var probe = new HandlerProbe { Behaviour = (_, _) => AtLeastAsync(handling) };
        using var host = await KafkaTestHost.StartConsumerAsync(kafka.BootstrapServers, output, probe, group, topic);
        await Eventually.TrueAsync(() => Of("messaging.process.duration").Any(), "the record's handling is recorded");
        await host.StopAsync();

        var publish = Assert.Single(Of("messaging.client.operation.duration"));
        Assert.InRange(publish.Value, 0, 5);
        Assert.Equal("send", publish.Tags["messaging.operation.name"]);
        Assert.Equal("kafka", publish.Tags["messaging.system"]);
        Assert.False(publish.Tags.ContainsKey("error.type"));

        var age = Assert.Single(Of("kinder.messaging.record.age"));
        // From the wall clock's whole-millisecond timestamp (which only adds) to the wall clock; the wait was timed on
        // the stopwatch, a clock the wall clock may be slewed against by a hair.
        Assert.InRange(age.Value, waited.TotalSeconds - 0.001, 30);
        Assert.Equal(group, age.Tags["messaging.consumer.group.name"]);
        Assert.Equal("receive", age.Tags["messaging.operation.name"]);

        var process = Assert.Single(Of("messaging.process.duration"));
        Assert.InRange(process.Value, handling.TotalSeconds, 30);
        Assert.Equal(group, process.Tags["messaging.consumer.group.name"]);
        Assert.Equal("process", process.Tags["messaging.operation.name"]);
        Assert.False(process.Tags.ContainsKey("error.type"));

        IEnumerable<(string Instrument, double Value, Dictionary<string, object?> Tags)> Of(string instrument) =>
            measurements.Where(measurement => measurement.Instrument == instrument
                                              && Equals(measurement.Tags["messaging.destination.name"], topic));
    }

    // Task.Delay may end a tick early by the stopwatch that the durations are timed with.
    private static async Task AtLeastAsync(TimeSpan duration)
    {
        var started = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(started) < duration)
            await Task.Delay(duration - Stopwatch.GetElapsedTime(started) + TimeSpan.FromMilliseconds(1));
    }

    public void Dispose() => listener.Dispose();
}
