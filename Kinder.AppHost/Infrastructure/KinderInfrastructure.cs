namespace Kinder.AppHost.Infrastructure;

/// <summary>
/// What the services are given, whichever mode made it: the same resource names (<c>kinderdb</c>, <c>redis</c>,
/// <c>kafka</c>, <c>storage</c>, <c>smtp</c>) and the same connection-string shapes, so the services cannot tell.
/// </summary>
internal sealed record KinderInfrastructure(
    InfrastructureMode Mode,
    IResourceBuilder<IResourceWithConnectionString> Database,
    IResourceBuilder<IResourceWithConnectionString> Redis,
    IResourceBuilder<IResourceWithConnectionString> Kafka,
    StorageResources Storage,
    IResourceBuilder<IResourceWithEndpoints> Smtp);

/// <summary>S3-compatible storage: its <c>http</c> endpoint and the keys it accepts.</summary>
internal sealed record StorageResources(
    IResourceBuilder<IResourceWithEndpoints> Server,
    IResourceBuilder<ParameterResource> AccessKey,
    IResourceBuilder<ParameterResource> SecretKey);

/// <summary>Endpoint names both modes use.</summary>
internal static class EndpointNames
{
    public const string Smtp = "smtp";
    public const string Http = "http";
    public const string Tcp = "tcp";
}
