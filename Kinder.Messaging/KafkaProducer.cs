using System.Diagnostics;
using System.Globalization;
using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kinder.Messaging;

/// <summary>
/// The process-wide idempotent producer: <c>acks=all</c>, a delivery timeout of seconds, a publish span per record,
/// trace context in the headers. Settings under <see cref="KafkaOptions.ProducerConfigSection"/> override the defaults here.
/// </summary>
internal sealed class KafkaProducer : IKafkaProducer, IDisposable
{
    private readonly IProducer<byte[]?, byte[]?> producer;
    private int disposed;

    public KafkaProducer(IOptions<KafkaOptions> options, IOptions<ProducerConfig> producerConfig, ILogger<KafkaProducer> logger)
    {
        var config = new ProducerConfig
        {
            EnableIdempotence = true, // no duplicates or reordering when librdkafka retries
            Acks = Acks.All,
            // Chat wants latency: send at once. Records queued while a request is in flight still go in one batch.
            LingerMs = 0,
            SocketNagleDisable = true, // small requests must not wait for the broker's delayed ACK
            // A record the broker has not taken within seconds fails, rather than after librdkafka's default 5 minutes:
            // a request waiting on it answers 503, the relay and consumers retry with their backoff.
            MessageTimeoutMs = 5000,
            RequestTimeoutMs = 5000,
        };
        foreach (var (name, value) in producerConfig.Value)
            config.Set(name, value);
        config.BootstrapServers = options.Value.BootstrapServers;

        producer = new ProducerBuilder<byte[]?, byte[]?>(config)
            .SetLogHandler((_, message) => KafkaClientLogging.Log(logger, message))
            .SetErrorHandler((_, error) => KafkaClientLogging.Error(logger, error))
            .Build();
    }

    public async Task ProduceAsync(string topic, string key, KafkaEnvelope envelope, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(envelope);

        using var activity = KafkaActivities.StartPublish(topic, key, envelope.Id.ToString(), envelope.TraceParent, envelope.TraceState);
        var (traceParent, traceState) = KafkaActivities.Outgoing(activity, envelope.TraceParent, envelope.TraceState);
        var message = new Message<byte[]?, byte[]?>
        {
            Key = Encoding.UTF8.GetBytes(key),
            Value = envelope.Payload,
            Headers = KafkaEnvelopeCodec.ToHeaders(envelope, traceParent, traceState),
        };
        await SendAsync(topic, message, activity, cancellationToken);
    }

    /// <summary>Publishes a record as it is (the dead-letter path), replacing only its trace context.</summary>
    internal async Task ProduceRawAsync(string topic, Message<byte[]?, byte[]?> message, CancellationToken cancellationToken)
    {
        message.Headers ??= [];
        var key = message.Key is null ? null : Encoding.UTF8.GetString(message.Key);
        var messageId = KafkaEnvelopeCodec.Optional(message.Headers, KafkaHeaderNames.MessageId);
        using var activity = KafkaActivities.StartPublish(topic, key, messageId, storedTraceParent: null, storedTraceState: null);
        var (traceParent, traceState) = KafkaActivities.Outgoing(activity,
            KafkaEnvelopeCodec.Optional(message.Headers, KafkaHeaderNames.TraceParent),
            KafkaEnvelopeCodec.Optional(message.Headers, KafkaHeaderNames.TraceState));
        KafkaEnvelopeCodec.SetTraceContext(message.Headers, traceParent, traceState);
        await SendAsync(topic, message, activity, cancellationToken);
    }

    public void Dispose()
    {
        // Registered as itself and as IKafkaProducer, so the container disposes it twice.
        if (Interlocked.Exchange(ref disposed, 1) == 1) return;
        // Records still queued in librdkafka would be lost on a plain dispose.
        producer.Flush(TimeSpan.FromSeconds(10));
        producer.Dispose();
    }

    private async Task SendAsync(string topic, Message<byte[]?, byte[]?> message, Activity? activity, CancellationToken cancellationToken)
    {
        var startedAt = Stopwatch.GetTimestamp();
        try
        {
            var result = await producer.ProduceAsync(topic, message, cancellationToken);
            MessagingTelemetry.Published(topic, startedAt, failure: null);
            activity?.SetTag("messaging.destination.partition.id", result.Partition.Value.ToString(CultureInfo.InvariantCulture));
            activity?.SetTag("messaging.kafka.offset", result.Offset.Value);
        }
        catch (Exception exception)
        {
            MessagingTelemetry.Published(topic, startedAt, exception);
            KafkaActivities.Failed(activity, exception);
            throw;
        }
    }
}
