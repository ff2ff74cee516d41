using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Kinder.AppHost.Infrastructure.HealthChecks;

/// <summary>Our own checks of one endpoint of a resource, which the resource then waits on to be healthy.</summary>
internal static class EndpointHealthChecks
{
    /// <summary>Registers <paramref name="create"/>'s check of the endpoint as <paramref name="key"/> and adds it to the resource.</summary>
    public static IResourceBuilder<T> WithEndpointHealthCheck<T>(this IResourceBuilder<T> builder, string endpointName,
        string key, Func<EndpointReference, IHealthCheck> create)
        where T : IResourceWithEndpoints
    {
        var endpoint = builder.GetEndpoint(endpointName);
        builder.ApplicationBuilder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            key, _ => create(endpoint), failureStatus: null, tags: null));
        return builder.WithHealthCheck(key);
    }
}
