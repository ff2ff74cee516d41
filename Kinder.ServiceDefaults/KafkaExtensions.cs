using Confluent.Kafka;
using Kinder.Core;
using Kinder.Messaging;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

public static class KafkaExtensions
{
    /// <summary>The name Aspire.Confluent.Kafka gives the health check of its unkeyed producer.</summary>
    public const string HealthCheckName = "Aspire.Confluent.Kafka.Producer";

    /// <summary>
    /// Our stand-in for Aspire's Kafka client integration (the feed does not serve <c>Aspire.Confluent.Kafka</c>),
    /// reading configuration where it does: the bootstrap servers from <c>ConnectionStrings:kafka</c>, librdkafka
    /// settings from <c>Aspire:Confluent:Kafka:Producer:Config</c> and <c>…:Consumer:Config</c> (the client id
    /// defaults to the application name). It adds the singleton <see cref="IKafkaProducer"/> (librdkafka logs to
    /// ILogger, publish spans), our consumer retry settings from the <c>Kafka</c> section and a health check under
    /// Aspire's name. A missing connection string fails the host's start with a message that says which key to set.
    /// </summary>
    public static IHostApplicationBuilder AddKafkaClient(this IHostApplicationBuilder builder)
    {
        // Everything is read when the options are first used, so test hosts that add configuration late still count.
        builder.Services.AddOptions<KafkaOptions>()
            .BindConfiguration(KafkaOptions.SectionName)
            .Configure<IConfiguration>((options, configuration) =>
                options.BootstrapServers = configuration.GetConnectionString(KinderResources.Kafka) ?? "")
            .Validate(options => !string.IsNullOrWhiteSpace(options.BootstrapServers),
                $"Kafka is not configured: set ConnectionStrings:{KinderResources.Kafka} to the bootstrap servers (host:port,…).");
        builder.Services.AddOptions<ProducerConfig>()
            .BindConfiguration(KafkaOptions.ProducerConfigSection)
            .Configure<IHostEnvironment>((config, environment) => config.ClientId ??= environment.ApplicationName);
        builder.Services.AddOptions<ConsumerConfig>()
            .BindConfiguration(KafkaOptions.ConsumerConfigSection)
            .Configure<IHostEnvironment>((config, environment) => config.ClientId ??= environment.ApplicationName);
        builder.Services.AddKafkaMessaging();
        builder.Services.AddHealthChecks().AddCheck<KafkaHealthCheck>(HealthCheckName);
        return builder;
    }
}
