using System.Net;
using System.Net.Sockets;

namespace Kinder.KafkaMock;

/// <summary>
/// A fixed bootstrap address for the mock cluster, whose brokers listen on ephemeral ports: every connection to
/// <c>localhost:port</c> (IPv4 and, where there is one, IPv6 loopback) is piped to the first broker. A client only
/// bootstraps through it: the metadata it gets back names the brokers' own addresses, which it then uses directly.
/// </summary>
internal sealed class BootstrapRelay : IAsyncDisposable
{
    private readonly List<TcpListener> _listeners = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _accepting = [];
    private readonly IPEndPoint _broker;

    private BootstrapRelay(IPEndPoint broker) => _broker = broker;

    public static BootstrapRelay Start(int port, string bootstrapServers)
    {
        var first = bootstrapServers.Split(',')[0];
        var separator = first.LastIndexOf(':');
        var broker = new IPEndPoint(IPAddress.Parse(first[..separator]), int.Parse(first[(separator + 1)..]));
        var relay = new BootstrapRelay(broker);
        relay.Listen(IPAddress.Loopback, port, required: true);
        relay.Listen(IPAddress.IPv6Loopback, port, required: false);
        return relay;
    }

    private void Listen(IPAddress address, int port, bool required)
    {
        var listener = new TcpListener(address, port);
        // A mock restarted at once finds its port held by the last one's connections in TIME_WAIT: bind anyway, as
        // servers do (on Windows the option means sharing a port with a live listener, which we do not want).
        if (!OperatingSystem.IsWindows())
            listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        try
        {
            listener.Start();
        }
        catch (SocketException) when (!required)
        {
            return; // no IPv6 on this machine
        }
        _listeners.Add(listener);
        _accepting.Add(AcceptAsync(listener));
    }

    private async Task AcceptAsync(TcpListener listener)
    {
        while (!_stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(_stopping.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            _ = PipeAsync(client);
        }
    }

    private async Task PipeAsync(TcpClient client)
    {
        using (client)
        using (var broker = new TcpClient(_broker.AddressFamily))
        {
            try
            {
                client.NoDelay = broker.NoDelay = true;
                await broker.ConnectAsync(_broker, _stopping.Token);
                var clientStream = client.GetStream();
                var brokerStream = broker.GetStream();
                // Either side closing ends both.
                await Task.WhenAny(
                    clientStream.CopyToAsync(brokerStream, _stopping.Token),
                    brokerStream.CopyToAsync(clientStream, _stopping.Token));
            }
            catch (Exception exception) when (exception is IOException or SocketException or OperationCanceledException)
            {
                // A client that went away; nothing to report.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        foreach (var listener in _listeners)
            listener.Stop();
        await Task.WhenAll(_accepting);
        _stopping.Dispose();
    }
}
