using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Kinder.Tests.Infrastructure;

/// <summary>
/// What Aspire's proxy does in front of replicas: one loopback port, each new TCP connection piped to the next
/// backend in turn, bytes copied both ways, no stickiness.
/// </summary>
public sealed class RoundRobinTcpForwarder : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly IReadOnlyList<Uri> backends;
    private readonly CancellationTokenSource stopping = new();
    private readonly ConcurrentDictionary<Task, bool> pipes = new();
    private readonly Task accepting;
    private int accepted;

    public RoundRobinTcpForwarder(IReadOnlyList<Uri> backends)
    {
        ArgumentOutOfRangeException.ThrowIfZero(backends.Count);
        this.backends = backends;
        listener.Start();
        accepting = AcceptAsync();
    }

    public Uri Url => new($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}");

    private async Task AcceptAsync()
    {
        while (true)
        {
            Socket client;
            try
            {
                client = await listener.AcceptSocketAsync(stopping.Token);
            }
            catch (Exception ex) when (IsConnectionEnd(ex))
            {
                return;
            }
            var backend = backends[accepted++ % backends.Count];
            var pipe = PipeAsync(client, backend);
            pipes[pipe] = true;
            _ = pipe.ContinueWith(done => pipes.TryRemove(done, out _), TaskScheduler.Default);
        }
    }

    private async Task PipeAsync(Socket client, Uri backend)
    {
        using var upstream = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await using var fromClient = new NetworkStream(client, ownsSocket: true);
        try
        {
            await upstream.ConnectAsync(backend.Host, backend.Port, stopping.Token);
        }
        catch (Exception ex) when (IsConnectionEnd(ex))
        {
            return;
        }
        await using var toBackend = new NetworkStream(upstream, ownsSocket: true);
        Task[] copies = [CopyAsync(fromClient, toBackend), CopyAsync(toBackend, fromClient)];
        // Either side closing ends the pair, as a proxy drops both halves of a connection.
        await Task.WhenAny(copies);
        fromClient.Close();
        toBackend.Close();
        await Task.WhenAll(copies);
    }

    private async Task CopyAsync(Stream from, Stream to)
    {
        try
        {
            await from.CopyToAsync(to, stopping.Token);
        }
        catch (Exception ex) when (IsConnectionEnd(ex))
        {
            // A reset, the other half closed, or the forwarder stopping.
        }
    }

    private static bool IsConnectionEnd(Exception ex) =>
        ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException;

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        listener.Stop();
        await accepting;
        await Task.WhenAll(pipes.Keys);
        stopping.Dispose();
    }
}
