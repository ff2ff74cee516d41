using System.Diagnostics;
using System.Diagnostics.Metrics;
using Confluent.Kafka;

namespace Kinder.Messaging;

/// <summary>
/// The activity source for Kafka publish/receive spans and the meter for their durations. ServiceDefaults adds
/// <see cref="ActivitySourceName"/> to OpenTelemetry tracing and <see cref="MeterName"/> to its metrics.
/// </summary>
/// <remarks>
/// The three histograms time a record hop by hop (the chat path: hub → <c>messages.incoming</c> → Workers →
/// <c>messages.outgoing</c> → Realtime): how long a publish waits for the broker's ack, how old a record is when its
/// consumer starts on it (the publish, the broker and the fetch), and how long its handler takes. Names and tags follow
/// OpenTelemetry's messaging conventions; the record age is Kinder's own.
/// </remarks>
public static class MessagingTelemetry
{
    public const string ActivitySourceName = "Kinder.Messaging";
    public const string MeterName = "Kinder.Messaging";

    // The instruments' names, for whoever reads them back (the chat bench's hop rows).
    public const string PublishDurationName = "messaging.client.operation.duration";
    public const string RecordAgeName = "kinder.messaging.record.age";
    public const string ProcessDurationName = "messaging.process.duration";

    public static readonly ActivitySource ActivitySource = new(ActivitySourceName);

    private static readonly Meter Meter = new(MeterName);

    // Buckets for a path measured in milliseconds, out to the seconds a stalled hop takes.
    private static readonly InstrumentAdvice<double> Buckets = new()
    {
        HistogramBucketBoundaries = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    };

    private static readonly Histogram<double> PublishDuration = Meter.CreateHistogram(PublishDurationName,
        unit: "s", description: "Publishes: from handing a record to the producer to the broker's acknowledgement.",
        advice: Buckets);

    private static readonly Histogram<double> RecordAge = Meter.CreateHistogram(RecordAgeName,
        unit: "s", description: "How old a record is (from its Kafka timestamp, whole milliseconds: up to 1 ms high) when " +
                                "its consumer starts on it: the publish, the broker and the consumer's fetch.",
        advice: Buckets);

    private static readonly Histogram<double> ProcessDuration = Meter.CreateHistogram(ProcessDurationName,
        unit: "s", description: "Handling a record, or a batch of records, from the start to settled (retries included).",
        advice: Buckets);

    internal static void Published(string topic, long startedAt, Exception? failure) =>
        PublishDuration.Record(Stopwatch.GetElapsedTime(startedAt).TotalSeconds, Tags(topic, group: null, "send", failure));

    /// <summary>The record's age now, if it carries a timestamp (every record a producer of ours wrote does).</summary>
    internal static void Received(string topic, string group, Timestamp timestamp)
    {
        if (timestamp.Type == TimestampType.NotAvailable || !RecordAge.Enabled) return;
        var age = DateTime.UtcNow - timestamp.UtcDateTime;
        // The timestamp is whole milliseconds (the age reads up to 1 ms high), and another machine's clock may be ahead.
        RecordAge.Record(Math.Max(age.TotalSeconds, 0), Tags(topic, group, "receive", failure: null));
    }

    internal static void Processed(string topic, string group, long startedAt, Exception? failure) =>
        ProcessDuration.Record(Stopwatch.GetElapsedTime(startedAt).TotalSeconds, Tags(topic, group, "process", failure));

    private static TagList Tags(string topic, string? group, string operation, Exception? failure)
    {
        var tags = new TagList
        {
            { "messaging.system", "kafka" },
            { "messaging.destination.name", topic },
            { "messaging.operation.name", operation },
        };
        if (group is not null) tags.Add("messaging.consumer.group.name", group);
        if (failure is not null) tags.Add("error.type", failure.GetType().FullName);
        return tags;
    }
}
