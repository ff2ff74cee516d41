namespace Kinder.Workers.Outbox;

public sealed class OutboxRelayOptions
{
    public const string SectionName = "Outbox";

    public int BatchSize { get; set; } = 200;

    /// <summary>How often to look when no NOTIFY arrived; NOTIFY makes the usual case immediate.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>First retry delay after a failed publish; doubles per attempt up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a claimed row is left to the replica that claimed it before another may publish it; longer
    /// than the producer's delivery timeout (Aspire:Confluent:Kafka:Producer:Config:MessageTimeoutMs, 5 s by default).</summary>
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromSeconds(60);
}
