namespace Kinder.AppHost.Infrastructure.Containers;

/// <summary>
/// A single-node Kafka (KRaft) container, as Aspire's <c>KafkaServerResource</c> models it: a <c>tcp</c> endpoint for
/// processes on the host and an <c>internal</c> one for other containers (Kafka UI); the connection string is the
/// bootstrap address. Aspire.Hosting.Kafka is not served here, so it is modelled in the AppHost; switching to
/// <c>builder.AddKafka(...)</c> later changes nothing the services see.
/// </summary>
internal sealed class KafkaContainerResource(string name) : ContainerResource(name), IResourceWithConnectionString
{
    public EndpointReference PrimaryEndpoint => field ??= new(this, EndpointNames.Tcp);

    public EndpointReference InternalEndpoint => field ??= new(this, KafkaContainerExtensions.InternalEndpointName);

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{PrimaryEndpoint.Property(EndpointProperty.HostAndPort)}");
}
