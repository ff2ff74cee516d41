using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Kinder.AppHost.Infrastructure.HealthChecks;

/// <summary>A broker is healthy when it answers a metadata request: the check Aspire's Kafka integration runs.</summary>
internal sealed class KafkaHealthCheck(Func<string?> bootstrapServers) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (bootstrapServers() is not { Length: > 0 } servers)
            return Task.FromResult(HealthCheckResult.Unhealthy("The broker's address is not known yet."));
        try
        {
            using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = servers })
                .SetLogHandler((_, _) => { }) // a broker that is still starting is expected here, not worth a log line
                .Build();
            var metadata = admin.GetMetadata(TimeSpan.FromSeconds(2));
            return Task.FromResult(metadata.Brokers.Count > 0
                ? HealthCheckResult.Healthy($"{metadata.Brokers.Count} broker(s), {metadata.Topics.Count} topic(s)")
                : HealthCheckResult.Unhealthy("No broker in the metadata."));
        }
        catch (KafkaException exception)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy(exception.Message));
        }
    }

    /// <summary>Registers the check for a resource whose connection string is the bootstrap address; returns its key.</summary>
    public static string Register(IDistributedApplicationBuilder builder, IResourceWithConnectionString kafka)
    {
        string? connectionString = null;
        builder.Eventing.Subscribe<ConnectionStringAvailableEvent>(kafka, async (_, cancellationToken) =>
            connectionString = await kafka.ConnectionStringExpression.GetValueAsync(cancellationToken));

        var key = $"{kafka.Name}_check";
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            key, _ => new KafkaHealthCheck(() => connectionString), failureStatus: null, tags: null));
        return key;
    }
}
