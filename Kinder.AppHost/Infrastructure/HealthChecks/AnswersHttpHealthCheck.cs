using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Kinder.AppHost.Infrastructure.HealthChecks;

/// <summary>
/// Healthy once the endpoint answers HTTP at all. For s3rver, which refuses anonymous requests with an S3 error but has
/// no health path.
/// </summary>
internal sealed class AnswersHttpHealthCheck(EndpointReference endpoint) : IHealthCheck
{
    private static readonly HttpClient Client = new() { Timeout = TimeSpan.FromSeconds(2) };

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var response = await Client.GetAsync(endpoint.Url, cancellationToken);
            return HealthCheckResult.Healthy($"HTTP {(int)response.StatusCode}");
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or InvalidOperationException)
        {
            // InvalidOperationException: the endpoint is not allocated yet.
            return HealthCheckResult.Unhealthy("No answer yet.", exception);
        }
    }

    public static IResourceBuilder<T> WithAnswersHttpHealthCheck<T>(IResourceBuilder<T> builder, string endpointName)
        where T : IResourceWithEndpoints =>
        builder.WithEndpointHealthCheck(endpointName, $"{builder.Resource.Name}_check", endpoint => new AnswersHttpHealthCheck(endpoint));
}
