using Confluent.Kafka;

namespace Kinder.Core.Messaging;

/// <summary>
/// Kafka client settings, bound from the <c>Kafka</c> configuration section. The bootstrap servers come from
/// <c>ConnectionStrings:kafka</c>, as an Aspire AppHost injects them.
/// </summary>
public sealed class KafkaOptions
{
    public const string SectionName = "Kafka";

    public string BootstrapServers { get; set; } = "";

    /// <summary>Defaults to the application name, so broker logs and quotas tell the services apart.</summary>
    public string? ClientId { get; set; }

    public KafkaProducerOptions Producer { get; set; } = new();

    public KafkaConsumerOptions Consumer { get; set; } = new();
}

public sealed class KafkaProducerOptions
{
    /// <summary>Extra librdkafka producer settings (<c>Kafka:Producer:Config:LingerMs</c>…); idempotence and
    /// <c>acks=all</c> are on unless overridden here.</summary>
    public ProducerConfig Config { get; set; } = new();
}

public sealed class KafkaConsumerOptions
{
    /// <summary>Handler attempts per record before it is dead-lettered.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Delay after the first failure; it doubles per attempt up to <see cref="RetryMaxDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Extra librdkafka consumer settings (<c>Kafka:Consumer:Config:SessionTimeoutMs</c>…). Group id,
    /// offset storing and auto-commit are set by the consumer host.</summary>
    public ConsumerConfig Config { get; set; } = new();
}
