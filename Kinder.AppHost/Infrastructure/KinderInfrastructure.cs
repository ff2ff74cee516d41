namespace Kinder.AppHost.Infrastructure;

/// <summary>
/// What the services are given, whichever mode made it: the same resource names (<c>kinderdb</c>, <c>redis</c>,
/// <c>kafka</c>, <c>storage</c>, <c>smtp</c>) and the same connection-string shapes, so the services cannot tell.
/// </summary>
internal sealed record KinderInfrastructure(
    InfrastructureMode Mode,
    IResourceBuilder<IResourceWithConnectionString> Database,
    ApplicationDatabaseRole DatabaseRole,
    IResourceBuilder<IResourceWithConnectionString> Redis,
    IResourceBuilder<IResourceWithConnectionString> Kafka,
    StorageResources Storage,
    MailRelay Mail);

/// <summary>S3-compatible storage: its <c>http</c> endpoint and the keys it accepts.</summary>
internal sealed record StorageResources(
    IResourceBuilder<IResourceWithEndpoints> Server,
    IResourceBuilder<ParameterResource> AccessKey,
    IResourceBuilder<ParameterResource> SecretKey);

/// <summary>
/// Where the services send mail: an SMTP server with a web inbox when Kinder runs here, the relay a deployment names
/// (parameters <c>smtp-host</c>, <c>smtp-port</c>) when it is published.
/// </summary>
internal sealed record MailRelay(ReferenceExpression Host, ReferenceExpression Port, IResourceBuilder<IResource>? Server)
{
    public static MailRelay Of(IResourceBuilder<IResourceWithEndpoints> server)
    {
        var endpoint = server.GetEndpoint(EndpointNames.Smtp);
        return new(ReferenceExpression.Create($"{endpoint.Property(EndpointProperty.Host)}"),
            ReferenceExpression.Create($"{endpoint.Property(EndpointProperty.Port)}"), server);
    }

    public static MailRelay FromParameters(IDistributedApplicationBuilder builder)
    {
        var host = builder.AddParameter("smtp-host").WithDescription("The SMTP relay the services send mail through.");
        var port = builder.AddParameter("smtp-port").WithDescription("Its port (587 for submission with STARTTLS).");
        return new(ReferenceExpression.Create($"{host}"), ReferenceExpression.Create($"{port}"), Server: null);
    }
}

/// <summary>Endpoint names both modes use.</summary>
internal static class EndpointNames
{
    public const string Smtp = "smtp";
    public const string Http = "http";
    public const string Tcp = "tcp";
}
