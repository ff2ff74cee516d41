using Kinder.Core;
using Kinder.Core.Messaging;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

public static class KafkaExtensions
{
    /// <summary>
    /// What Aspire's Kafka client integration would add, from the plain Confluent.Kafka package: the bootstrap servers
    /// from <c>ConnectionStrings:kafka</c>, options from the <c>Kafka</c> section, the singleton
    /// <see cref="IKafkaProducer"/> (librdkafka logs to ILogger, publish spans) and a <c>kafka</c> health check tagged
    /// <c>ready</c>. A missing connection string fails the host's start with a message that says which key to set.
    /// </summary>
    public static IHostApplicationBuilder AddKafkaClient(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<KafkaOptions>()
            .BindConfiguration(KafkaOptions.SectionName)
            // Read when the options are first used, so test hosts that add configuration late still count.
            .Configure<IConfiguration, IHostEnvironment>((options, configuration, environment) =>
            {
                options.BootstrapServers = configuration.GetConnectionString(KinderResources.Kafka) ?? "";
                options.ClientId ??= environment.ApplicationName;
            });
        builder.Services.AddKafkaMessaging();
        builder.Services.AddHealthChecks().AddCheck<KafkaHealthCheck>(KinderResources.Kafka, tags: ["ready"]);
        return builder;
    }
}
