using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Kinder.AppHost.Infrastructure.HealthChecks;

/// <summary>
/// Healthy once the endpoint greets as an SMTP server does (<c>220 …</c>). smtp4dev keeps serving its web inbox when
/// its SMTP server fails to start (its port taken), so the inbox's answer alone would call a stack healthy that loses
/// every mail to whatever holds the port.
/// </summary>
internal sealed class SmtpGreetingHealthCheck(EndpointReference endpoint) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(endpoint.Host, endpoint.Port, timeout.Token);
            var buffer = new byte[512];
            var read = await client.GetStream().ReadAsync(buffer, timeout.Token);
            var greeting = Encoding.ASCII.GetString(buffer, 0, read).Split('\n')[0].TrimEnd('\r');
            return greeting.StartsWith("220", StringComparison.Ordinal)
                ? HealthCheckResult.Healthy(greeting)
                : HealthCheckResult.Unhealthy($"Port {endpoint.Port} answers, but not as an SMTP server: \"{greeting}\".");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"No SMTP greeting on port {endpoint.Port} within {Timeout.TotalSeconds:0} s.");
        }
        catch (Exception exception) when (exception is SocketException or IOException or InvalidOperationException)
        {
            // InvalidOperationException: the endpoint is not allocated yet.
            return HealthCheckResult.Unhealthy("No SMTP server yet.", exception);
        }
    }

    public static IResourceBuilder<T> WithSmtpGreetingHealthCheck<T>(IResourceBuilder<T> builder, string endpointName)
        where T : IResourceWithEndpoints =>
        builder.WithEndpointHealthCheck(endpointName, $"{builder.Resource.Name}_smtp_check", endpoint => new SmtpGreetingHealthCheck(endpoint));
}
