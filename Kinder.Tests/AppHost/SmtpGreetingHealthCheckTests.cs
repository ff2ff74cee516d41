using System.Net;
using System.Net.Sockets;
using System.Text;
using Aspire.Hosting.ApplicationModel;
using Kinder.AppHost.Infrastructure.HealthChecks;
using Kinder.Core;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Kinder.Tests.AppHost;

/// <summary>
/// The smtp resource's check: smtp4dev whose SMTP port was taken by another listener serves its inbox on, so only an
/// SMTP greeting tells that mail can be delivered.
/// </summary>
public sealed class SmtpGreetingHealthCheckTests
{
    [Fact]
    public async Task A_server_that_greets_with_220_is_healthy()
    {
        using var server = Listener.Start("220 localhost smtp4dev ready\r\n");

        var result = await CheckAsync(server.Port);

        Assert.Equal(HealthStatus.Healthy, result.Status);
        Assert.Equal("220 localhost smtp4dev ready", result.Description);
    }

    [Fact]
    public async Task A_listener_that_accepts_and_stays_silent_is_unhealthy()
    {
        // What Workers' mail met in CI: a port taken by a server that waits for its client to speak first.
        using var server = Listener.Start(greeting: null);

        var result = await CheckAsync(server.Port);

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Contains("No SMTP greeting", result.Description);
    }

    [Fact]
    public async Task A_server_that_speaks_another_protocol_is_unhealthy()
    {
        using var server = Listener.Start("+OK POP3 ready\r\n");

        var result = await CheckAsync(server.Port);

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Contains("not as an SMTP server", result.Description);
    }

    [Fact]
    public async Task A_port_nothing_listens_on_is_unhealthy()
    {
        var result = await CheckAsync(LocalPorts.Reserve());

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
    }

    private static Task<HealthCheckResult> CheckAsync(int port)
    {
        var annotation = new EndpointAnnotation(ProtocolType.Tcp, name: "smtp", port: port, targetPort: port, isProxied: false);
        annotation.AllocatedEndpoint = new AllocatedEndpoint(annotation, "localhost", port);
        var resource = new ExecutableResource("smtp", "smtp4dev", ".");
        resource.Annotations.Add(annotation);
        var check = new SmtpGreetingHealthCheck(new EndpointReference(resource, annotation));
        return check.CheckHealthAsync(new HealthCheckContext());
    }

    /// <summary>A loopback listener that writes <c>greeting</c> (if any) to each connection and then keeps it open.</summary>
    private sealed class Listener : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, LocalPorts.Reserve());
        private readonly List<TcpClient> _accepted = [];

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public static Listener Start(string? greeting)
        {
            var listener = new Listener();
            listener._listener.Start();
            _ = listener.AcceptAsync(greeting);
            return listener;
        }

        private async Task AcceptAsync(string? greeting)
        {
            try
            {
                while (true)
                {
                    var client = await _listener.AcceptTcpClientAsync();
                    lock (_accepted)
                        _accepted.Add(client);
                    if (greeting is not null)
                        await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes(greeting));
                }
            }
            catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
            {
                // stopped
            }
        }

        public void Dispose()
        {
            _listener.Stop();
            lock (_accepted)
                _accepted.ForEach(client => client.Dispose());
        }
    }
}
