namespace Kinder.AppHost.Infrastructure.Local;

/// <summary>
/// A local server process whose connection string is its <c>host:port</c>, as Aspire's Redis and Kafka resources
/// have it (<c>ConnectionStrings:redis</c>, <c>ConnectionStrings:kafka</c>).
/// </summary>
internal sealed class LocalServerResource(string name, string command, string workingDirectory)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    public EndpointReference PrimaryEndpoint => field ??= new(this, EndpointNames.Tcp);

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{PrimaryEndpoint.Property(EndpointProperty.HostAndPort)}");
}
