namespace Kinder.AppHost;

/// <summary>
/// Passes the S3 and SMTP stand-ins to a service under the configuration keys it binds
/// (<c>Storage:*</c>, <c>Smtp:*</c>); in production the same keys point at the real services.
/// </summary>
internal static class ServiceConfigurationExtensions
{
    public const string StorageBucket = "kinder";

    public static IResourceBuilder<ProjectResource> WithStorage(
        this IResourceBuilder<ProjectResource> service,
        IResourceBuilder<ContainerResource> storage,
        IResourceBuilder<ParameterResource> accessKey,
        IResourceBuilder<ParameterResource> secretKey) =>
        service
            .WithEnvironment("Storage__ServiceUrl", storage.GetEndpoint("http"))
            .WithEnvironment("Storage__AccessKey", accessKey)
            .WithEnvironment("Storage__SecretKey", secretKey)
            .WithEnvironment("Storage__Bucket", StorageBucket)
            .WaitFor(storage);

    public static IResourceBuilder<ProjectResource> WithSmtp(
        this IResourceBuilder<ProjectResource> service,
        IResourceBuilder<ContainerResource> smtp)
    {
        var endpoint = smtp.GetEndpoint("smtp");

        return service
            .WithEnvironment("Smtp__Host", ReferenceExpression.Create($"{endpoint.Property(EndpointProperty.Host)}"))
            .WithEnvironment("Smtp__Port", ReferenceExpression.Create($"{endpoint.Property(EndpointProperty.Port)}"))
            .WaitFor(smtp);
    }
}
