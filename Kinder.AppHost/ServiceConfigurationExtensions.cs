using Kinder.AppHost.Infrastructure;

namespace Kinder.AppHost;

/// <summary>How a Kinder service is wired into the model: its endpoint, health, and the configuration keys it binds.</summary>
internal static class ServiceConfigurationExtensions
{
    public const string StorageBucket = "kinder";

    /// <summary>
    /// A service without a launch profile: the AppHost owns its port (fixed for Api and Realtime, so clients and the
    /// README's examples keep working) and its environment name; it is healthy when its /health answers 200.
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddKinderService<TProject>(this IDistributedApplicationBuilder builder,
        string name, int? port) where TProject : IProjectMetadata, new() =>
        builder.AddProject<TProject>(name, launchProfileName: null)
            .WithHttpEndpoint(port: port is 0 ? null : port, name: EndpointNames.Http)
            .WithHttpHealthCheck("/health");

    public static IResourceBuilder<ProjectResource> WithKinderDefaults(this IResourceBuilder<ProjectResource> service,
        IDistributedApplicationBuilder builder, KinderSettings settings, KinderInfrastructure? infrastructure)
    {
        service.WithEnvironment("ASPNETCORE_ENVIRONMENT", builder.Environment.EnvironmentName)
            .WithEnvironment("Logging__Console__FormatterOptions__ColorBehavior", "Disabled");
        if (infrastructure?.Mode == InfrastructureMode.Local)
            service.WithMockBrokerSettings();
        foreach (var (name, value) in settings.ServiceEnvironment)
            service.WithEnvironment(name, value);
        return service;
    }

    /// <summary>
    /// PostgreSQL (as the services' own role), Redis, Kafka, storage and SMTP, under the keys the services bind.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithInfrastructure(this IResourceBuilder<ProjectResource> service,
        IDistributedApplicationBuilder builder, KinderSettings settings, KinderInfrastructure infrastructure) =>
        infrastructure.DatabaseRole.ConfigureService(service
            .WithKinderDefaults(builder, settings, infrastructure)
            .WithReference(infrastructure.Database).WaitFor(infrastructure.Database), infrastructure.Database)
            .WithReference(infrastructure.Redis).WaitFor(infrastructure.Redis)
            .WithReference(infrastructure.Kafka).WaitFor(infrastructure.Kafka)
            .WithStorage(infrastructure.Storage)
            .WithMail(infrastructure.Mail);

    private static IResourceBuilder<ProjectResource> WithStorage(this IResourceBuilder<ProjectResource> service,
        StorageResources storage) =>
        service
            .WithEnvironment("Storage__ServiceUrl", storage.Server.GetEndpoint(EndpointNames.Http))
            .WithEnvironment("Storage__AccessKey", storage.AccessKey)
            .WithEnvironment("Storage__SecretKey", storage.SecretKey)
            .WithEnvironment("Storage__Bucket", StorageBucket)
            .WaitFor(storage.Server);

    private static IResourceBuilder<ProjectResource> WithMail(this IResourceBuilder<ProjectResource> service, MailRelay mail)
    {
        service.WithEnvironment("Smtp__Host", mail.Host).WithEnvironment("Smtp__Port", mail.Port);
        return mail.Server is null ? service : service.WaitFor(mail.Server);
    }

    /// <summary>
    /// The mock broker answers a group join only after the session timeout of a member that left (45 s by default):
    /// a short one keeps restarts quick. Fetches keep librdkafka's default wait (500 ms): the mock's own build answers a
    /// held fetch when a record arrives, as a broker does (docs/decisions/0001).
    /// </summary>
    private static IResourceBuilder<ProjectResource> WithMockBrokerSettings(this IResourceBuilder<ProjectResource> service) =>
        service
            .WithEnvironment("Aspire__Confluent__Kafka__Consumer__Config__SessionTimeoutMs", "6000")
            .WithEnvironment("Aspire__Confluent__Kafka__Consumer__Config__HeartbeatIntervalMs", "1000");
}
