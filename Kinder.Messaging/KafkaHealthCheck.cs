using Confluent.Kafka;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kinder.Messaging;

/// <summary>Healthy when a broker answers a metadata request within a second (what Aspire's Kafka check does).</summary>
public sealed class KafkaHealthCheck(IOptions<KafkaOptions> options, IOptions<ProducerConfig> producerConfig,
    ILogger<KafkaHealthCheck> logger) : IHealthCheck, IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1);

    private readonly Lazy<IAdminClient> admin = new(() => new AdminClientBuilder(new AdminClientConfig
        {
            BootstrapServers = options.Value.BootstrapServers,
            ClientId = producerConfig.Value.ClientId,
        })
        // This connection's failures are reported by the check itself; at Debug they do not drown the real errors.
        .SetLogHandler((_, message) => logger.LogDebug("librdkafka {Facility}: {Message}", message.Facility, message.Message))
        .SetErrorHandler((_, error) => logger.LogDebug("Kafka health check client error: {Reason}", error.Reason))
        .Build());

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            // Blocks for at most the timeout; health checks run off the request path.
            var metadata = admin.Value.GetMetadata(Timeout);
            return Task.FromResult(HealthCheckResult.Healthy($"{metadata.Brokers.Count} broker(s) answered"));
        }
        catch (KafkaException exception)
        {
            return Task.FromResult(new HealthCheckResult(context.Registration.FailureStatus,
                $"No Kafka broker answered a metadata request within {Timeout.TotalSeconds:0} s: {exception.Error.Reason}", exception));
        }
    }

    public void Dispose()
    {
        if (admin.IsValueCreated) admin.Value.Dispose();
    }
}
