namespace Kinder.Messaging;

/// <summary>
/// Kafka settings of our own, bound from the <c>Kafka</c> section. The bootstrap servers come from
/// <c>ConnectionStrings:kafka</c>, as an Aspire AppHost injects them; librdkafka's own settings are a
/// <see cref="Confluent.Kafka.ProducerConfig"/> and a <see cref="Confluent.Kafka.ConsumerConfig"/> bound from
/// <see cref="ProducerConfigSection"/> and <see cref="ConsumerConfigSection"/>.
/// </summary>
public sealed class KafkaOptions
{
    public const string SectionName = "Kafka";

    // Where Aspire.Confluent.Kafka reads librdkafka settings, so moving to it keeps every deployment's configuration.
    public const string ProducerConfigSection = "Aspire:Confluent:Kafka:Producer:Config";
    public const string ConsumerConfigSection = "Aspire:Confluent:Kafka:Consumer:Config";

    public string BootstrapServers { get; set; } = "";

    public KafkaConsumerOptions Consumer { get; set; } = new();
}

/// <summary>How the consumer host treats a record whose handler fails; Aspire's integration has no such policy.</summary>
public sealed class KafkaConsumerOptions
{
    /// <summary>Handler attempts per record before it is dead-lettered.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Delay after the first failure; it doubles per attempt up to <see cref="RetryMaxDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(5);
}
