using Kinder.AppHost.Infrastructure.HealthChecks;
using Microsoft.Extensions.DependencyInjection;

namespace Kinder.AppHost.Infrastructure.Containers;

/// <summary>
/// <c>confluentinc/confluent-local</c> (a KRaft broker without ZooKeeper) configured the way Aspire's Kafka integration
/// configures it — same image, listeners, data directory and Kafka UI — so a later switch to Aspire.Hosting.Kafka is a
/// one-line change.
/// </summary>
internal static class KafkaContainerExtensions
{
    public const string InternalEndpointName = "internal";
    private const int BrokerPort = 9092;
    private const int InternalBrokerPort = 9093;
    private const string DataPath = "/var/lib/kafka/data";

    public static IResourceBuilder<KafkaContainerResource> AddKafkaContainer(
        this IDistributedApplicationBuilder builder, string name, int? port)
    {
        var kafka = new KafkaContainerResource(name);
        var healthCheck = KafkaHealthCheck.Register(builder, kafka);

        return builder.AddResource(kafka)
            .WithEndpoint(targetPort: BrokerPort, port: port, name: EndpointNames.Tcp)
            .WithEndpoint(targetPort: InternalBrokerPort, name: InternalEndpointName)
            .WithImage("confluentinc/confluent-local", "8.1.1")
            .WithImageRegistry("docker.io")
            .WithEnvironment(context => ConfigureListeners(context, kafka))
            .WithHealthCheck(healthCheck);
    }

    public static IResourceBuilder<KafkaContainerResource> WithDataVolume(
        this IResourceBuilder<KafkaContainerResource> builder, string volumeName) =>
        builder
            .WithEnvironment("KAFKA_LOG_DIRS", DataPath)
            .WithVolume(volumeName, DataPath);

    /// <summary>Kafka UI, for the dashboard's link; it reaches the broker over the container network.</summary>
    public static IResourceBuilder<KafkaContainerResource> WithKafkaUI(this IResourceBuilder<KafkaContainerResource> builder)
    {
        var kafka = builder.Resource;
        builder.ApplicationBuilder.AddContainer($"{kafka.Name}-ui", "kafbat/kafka-ui", "v1.4.2")
            .WithImageRegistry("docker.io")
            .WithHttpEndpoint(targetPort: 8080)
            .WithEnvironment("KAFKA_CLUSTERS_0_NAME", kafka.Name)
            .WithEnvironment(context => context.EnvironmentVariables["KAFKA_CLUSTERS_0_BOOTSTRAPSERVERS"] =
                context.ExecutionContext.IsRunMode
                    ? ReferenceExpression.Create($"{kafka.Name}:{kafka.InternalEndpoint.Property(EndpointProperty.TargetPort)}")
                    : ReferenceExpression.Create($"{kafka.InternalEndpoint.Property(EndpointProperty.HostAndPort)}"))
            .WithParentRelationship(kafka)
            .WaitFor(builder)
            .ExcludeFromManifest();
        return builder;
    }

    private static void ConfigureListeners(EnvironmentCallbackContext context, KafkaContainerResource kafka)
    {
        context.EnvironmentVariables["KAFKA_LISTENERS"] =
            $"PLAINTEXT://localhost:29092,CONTROLLER://localhost:29093,PLAINTEXT_HOST://0.0.0.0:{BrokerPort},PLAINTEXT_INTERNAL://0.0.0.0:{InternalBrokerPort}";
        context.EnvironmentVariables["KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"] =
            "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,PLAINTEXT_HOST:PLAINTEXT,PLAINTEXT_INTERNAL:PLAINTEXT";
        // Host processes are told the host port; containers the resource name on the container network.
        context.EnvironmentVariables["KAFKA_ADVERTISED_LISTENERS"] = context.ExecutionContext.IsRunMode
            ? ReferenceExpression.Create(
                $"PLAINTEXT://localhost:29092,PLAINTEXT_HOST://localhost:{kafka.PrimaryEndpoint.Property(EndpointProperty.Port)},PLAINTEXT_INTERNAL://{kafka.Name}:{kafka.InternalEndpoint.Property(EndpointProperty.TargetPort)}")
            : ReferenceExpression.Create(
                $"PLAINTEXT://{kafka.PrimaryEndpoint.Property(EndpointProperty.Host)}:29092,PLAINTEXT_HOST://{kafka.PrimaryEndpoint.Property(EndpointProperty.HostAndPort)},PLAINTEXT_INTERNAL://{kafka.InternalEndpoint.Property(EndpointProperty.HostAndPort)}");
    }
}
