using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Kinder.SmtpSink;

public sealed record SmtpSinkOptions
{
    /// <summary>Loopback unless told otherwise: the sink accepts mail from anyone who can reach it.</summary>
    public IPAddress Address { get; init; } = IPAddress.Loopback;

    /// <summary>0 picks a free port (see <see cref="SmtpSinkServer.Port"/>).</summary>
    public int Port { get; init; }

    /// <summary>Where each message is written as an <c>.eml</c> file; <c>null</c> keeps messages in memory only.</summary>
    public string? Directory { get; init; }

    /// <summary>Advertised with SIZE; a larger message is refused with 552.</summary>
    public long MaxMessageSize { get; init; } = 35 * 1024 * 1024;

    public string HostName { get; init; } = "kinder-smtp-sink";
}

/// <summary>
/// A small SMTP server that accepts every message (the local runner's and the tests' stand-in for a mail relay):
/// any number of connections at once, each message kept in memory, optionally written to a directory, and
/// announced through <see cref="MessageReceived"/>. Tests start one on port 0 and wait for mail with
/// <see cref="WaitForMessageAsync"/>.
/// </summary>
public sealed class SmtpSinkServer : IAsyncDisposable
{
    private readonly TcpListener listener;
    private readonly CancellationTokenSource stopping = new();
    private readonly ConcurrentDictionary<Task, bool> sessions = new();
    private readonly List<SinkMessage> messages = [];
    private readonly List<(Func<SinkMessage, bool> Predicate, TaskCompletionSource<SinkMessage> Waiter)> waiters = [];
    private readonly Lock gate = new();
    private readonly Task acceptLoop;
    private long sequence;
    private int failuresToInject;
    private int refused;

    private SmtpSinkServer(SmtpSinkOptions options)
    {
        Options = options;
        if (options.Directory is not null) System.IO.Directory.CreateDirectory(options.Directory);
        listener = new TcpListener(options.Address, options.Port);
        listener.Start();
        EndPoint = (IPEndPoint)listener.LocalEndpoint;
        acceptLoop = AcceptAsync();
    }

    public SmtpSinkOptions Options { get; }

    public IPEndPoint EndPoint { get; }

    public string Host => EndPoint.Address.ToString();

    public int Port => EndPoint.Port;

    /// <summary>Raised once per accepted message, after it is stored; on the connection's thread.</summary>
    public event Action<SinkMessage>? MessageReceived;

    /// <summary>Problems worth telling an operator about (a message that could not be written).</summary>
    public event Action<string>? Error;

    /// <summary>Listening once this returns.</summary>
    public static SmtpSinkServer Start(SmtpSinkOptions? options = null) => new(options ?? new SmtpSinkOptions());

    /// <summary>Messages refused because of <see cref="RefuseNextMessages"/>.</summary>
    public int RefusedCount => Volatile.Read(ref refused);

    /// <summary>
    /// Answers the end of the next <paramref name="count"/> messages with a temporary failure (451) instead of taking
    /// them, as a relay that is briefly unwell does: for testing a client's retries.
    /// </summary>
    public void RefuseNextMessages(int count) => Interlocked.Exchange(ref failuresToInject, count);

    internal bool TryRefuse()
    {
        while (true)
        {
            var remaining = Volatile.Read(ref failuresToInject);
            if (remaining <= 0) return false;
            if (Interlocked.CompareExchange(ref failuresToInject, remaining - 1, remaining) != remaining) continue;
            Interlocked.Increment(ref refused);
            return true;
        }
    }

    /// <summary>Every message accepted so far, oldest first.</summary>
    public IReadOnlyList<SinkMessage> Messages
    {
        get
        {
            lock (gate) return [.. messages];
        }
    }

    /// <summary>The first message, already received or still to come, that matches <paramref name="predicate"/>.</summary>
    /// <exception cref="TimeoutException">None arrived within <paramref name="timeout"/>.</exception>
    public async Task<SinkMessage> WaitForMessageAsync(Func<SinkMessage, bool> predicate, TimeSpan timeout,
        CancellationToken cancellationToken = default)
    {
        TaskCompletionSource<SinkMessage> waiter;
        lock (gate)
        {
            var existing = messages.FirstOrDefault(predicate);
            if (existing is not null) return existing;
            waiter = new TaskCompletionSource<SinkMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
            waiters.Add((predicate, waiter));
        }
        try
        {
            return await waiter.Task.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException(
                $"No matching message reached the SMTP sink on port {Port} within {timeout.TotalSeconds:0.#} s. " +
                $"It has {Describe(Messages)}.");
        }
        finally
        {
            lock (gate) waiters.RemoveAll(entry => entry.Waiter == waiter);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (stopping.IsCancellationRequested) return;
        await stopping.CancelAsync();
        listener.Stop();
        await acceptLoop;
        await Task.WhenAll(sessions.Keys);
        stopping.Dispose();
    }

    internal async Task<SinkMessage> DeliverAsync(string? clientName, EndPoint? client, string reversePath,
        IReadOnlyList<string> recipients, byte[] data, CancellationToken cancellationToken)
    {
        var receivedAt = DateTimeOffset.UtcNow;
        var id = receivedAt.ToString("yyyyMMdd-HHmmss-fff", CultureInfo.InvariantCulture) + "-" +
            Interlocked.Increment(ref sequence).ToString("D4", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..8];
        string? path = null;
        if (Options.Directory is { } directory)
        {
            // Written under a temporary name and renamed, so nobody watching the directory reads half a message.
            path = Path.GetFullPath(Path.Combine(directory, id + ".eml"));
            var partial = path + ".part";
            await File.WriteAllBytesAsync(partial, data, cancellationToken);
            File.Move(partial, path);
        }

        var message = new SinkMessage(id, clientName, client, reversePath, recipients, data, path, receivedAt);
        List<TaskCompletionSource<SinkMessage>> matched;
        lock (gate)
        {
            messages.Add(message);
            matched = [.. waiters.Where(entry => entry.Predicate(message)).Select(entry => entry.Waiter)];
        }
        foreach (var waiter in matched) waiter.TrySetResult(message);
        MessageReceived?.Invoke(message);
        return message;
    }

    internal void ReportError(string message) => Error?.Invoke(message);

    private async Task AcceptAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stopping.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException or SocketException
                && stopping.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException exception)
            {
                // E.g. a connection reset before we accepted it: keep serving the others.
                ReportError($"accept failed: {exception.Message}");
                continue;
            }

            var session = ServeAsync(client);
            sessions.TryAdd(session, true);
            _ = session.ContinueWith(finished => sessions.TryRemove(finished, out _), TaskScheduler.Default);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        await Task.Yield(); // the accept loop goes straight back to accepting
        using (client)
        {
            try
            {
                client.NoDelay = true;
                await using var stream = client.GetStream();
                await new SmtpSession(stream, client.Client.RemoteEndPoint, this).RunAsync(stopping.Token);
            }
            catch (Exception exception) when (exception is IOException or SocketException or ObjectDisposedException)
            {
                // The connection broke; the other sessions carry on.
            }
            catch (Exception exception)
            {
                ReportError($"session failed: {exception}");
            }
        }
    }

    private static string Describe(IReadOnlyList<SinkMessage> received) =>
        received.Count == 0 ? "no messages" : $"{received.Count} message(s): " + string.Join("; ", received.TakeLast(10));
}
