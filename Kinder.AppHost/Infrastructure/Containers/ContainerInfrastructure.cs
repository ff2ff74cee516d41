using Kinder.Core;

namespace Kinder.AppHost.Infrastructure.Containers;

/// <summary>
/// The infrastructure as containers, each on a named data volume: a PostGIS image of PostgreSQL, Redis, Kafka
/// (modelled like Aspire's own Kafka integration, which is not served here) with Kafka UI, smtp4dev and MinIO.
/// </summary>
internal static class ContainerInfrastructure
{
    public static KinderInfrastructure Add(IDistributedApplicationBuilder builder, KinderSettings settings)
    {
        var ports = settings.Ports;

        // The stock postgres image has no PostGIS, which event and user locations need.
        var database = builder.AddPostgres(KinderResources.Postgres, port: HostPort(ports.Postgres))
            .WithImage("postgis/postgis", "17-3.5")
            .WithDataVolume("kinder-postgres-data")
            .AddDatabase(KinderResources.Database);

        var redis = builder.AddRedis(KinderResources.Redis, port: HostPort(ports.Redis))
            .WithDataVolume("kinder-redis-data");

        var kafka = builder.AddKafkaContainer(KinderResources.Kafka, HostPort(ports.Kafka))
            .WithDataVolume("kinder-kafka-data")
            .WithKafkaUI();

        var accessKey = builder.AddParameter("storage-access-key", secret: true)
            .WithDescription("S3 access key; also the MinIO root user (at least 3 characters).");
        var secretKey = builder.AddParameter("storage-secret-key", secret: true)
            .WithDescription("S3 secret key; also the MinIO root password (at least 8 characters).");
        // MinIO left Docker Hub in 2026; quay.io keeps its last community release.
        var storage = builder.AddContainer(KinderResources.Storage, "quay.io/minio/minio", "RELEASE.2025-09-07T16-13-09Z")
            .WithArgs("server", "/data", "--console-address", ":9001")
            .WithEnvironment("MINIO_ROOT_USER", accessKey)
            .WithEnvironment("MINIO_ROOT_PASSWORD", secretKey)
            .WithHttpEndpoint(port: HostPort(ports.Storage), targetPort: 9000, name: EndpointNames.Http)
            .WithHttpEndpoint(targetPort: 9001, name: "console")
            .WithVolume("kinder-storage-data", "/data")
            .WithHttpHealthCheck("/minio/health/live", endpointName: EndpointNames.Http);

        // The same SMTP server with a web inbox as in local mode; a deployment names its real relay instead.
        var mail = builder.ExecutionContext.IsPublishMode
            ? MailRelay.FromParameters(builder)
            : MailRelay.Of(builder.AddContainer(KinderResources.Smtp, "rnwood/smtp4dev", "3.15.0")
                .WithEndpoint(port: HostPort(ports.Smtp), targetPort: 25, name: EndpointNames.Smtp)
                .WithHttpEndpoint(port: HostPort(ports.MailInbox), targetPort: 80, name: EndpointNames.Http)
                .WithVolume("kinder-smtp-data", "/smtp4dev")
                .WithHttpHealthCheck("/", endpointName: EndpointNames.Http));

        return new KinderInfrastructure(InfrastructureMode.Containers, database, ApplicationDatabaseRole.Add(builder), redis, kafka,
            new StorageResources(storage, accessKey, secretKey), mail);
    }

    private static int? HostPort(int port) => port == 0 ? null : port;
}
