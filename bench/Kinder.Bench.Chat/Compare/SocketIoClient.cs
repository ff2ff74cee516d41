using System.Collections.Concurrent;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Kinder.Bench.Chat.Compare;

/// <summary>
/// The least of a socket.io v4 client (Engine.IO v4, WebSocket transport only, default namespace) that the reference
/// server needs: open <c>0{…}</c>, connect <c>40{auth}</c>, events <c>42["name",data]</c>, emits with an ack
/// <c>42id[…]</c> answered by <c>43id[…]</c>, ping <c>2</c> answered by pong <c>3</c>. No reconnection, no polling.
/// </summary>
public sealed class SocketIoClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly SemaphoreSlim _sending = new(1, 1); // a WebSocket takes one send at a time
    private readonly ConcurrentDictionary<int, TaskCompletionSource<string>> _acks = new();
    private readonly Dictionary<string, Action<JsonElement>> _handlers = [];
    private readonly CancellationTokenSource _closing = new();
    private readonly byte[] _buffer = new byte[4096]; // only the receive loop reads (the handshake before it starts)
    private Task _receiving = Task.CompletedTask;
    private int _lastAckId;

    /// <summary>Handles event <paramref name="name"/>; the element is valid only during the call.</summary>
    public void On(string name, Action<JsonElement> handler) => _handlers[name] = handler;

    public async Task ConnectAsync(Uri server, object auth, CancellationToken cancellationToken)
    {
        var address = new UriBuilder(server)
        {
            Scheme = server.Scheme == "https" ? "wss" : "ws", Path = "/socket.io/", Query = "EIO=4&transport=websocket",
        };
        await _socket.ConnectAsync(address.Uri, cancellationToken);
        var open = await ReceiveAsync(cancellationToken);
        if (open is not ['0', ..]) throw new IOException($"Engine.IO open expected, got \"{open}\".");
        await SendAsync("40" + JsonSerializer.Serialize(auth), cancellationToken);
        var connected = await ReceiveAsync(cancellationToken);
        if (!connected.StartsWith("40", StringComparison.Ordinal))
            throw new IOException($"socket.io refused the connection: {connected}");
        _receiving = Task.Run(ReceiveLoopAsync, CancellationToken.None);
    }

    /// <summary>Emits an event and returns the server's acknowledgement (its arguments as a JSON array).</summary>
    public async Task<string> EmitWithAckAsync(string name, object data, TimeSpan timeout)
    {
        var id = Interlocked.Increment(ref _lastAckId);
        var ack = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        _acks[id] = ack;
        try
        {
            await SendAsync($"42{id.ToString(CultureInfo.InvariantCulture)}{JsonSerializer.Serialize(new[] { name, data })}",
                CancellationToken.None);
            return await ack.Task.WaitAsync(timeout);
        }
        finally
        {
            _acks.TryRemove(id, out _);
        }
    }

    private async Task ReceiveLoopAsync()
    {
        try
        {
            while (!_closing.IsCancellationRequested)
            {
                var packet = await ReceiveAsync(_closing.Token);
                if (packet == "2")
                    await SendAsync("3", _closing.Token);
                else if (packet.StartsWith("42", StringComparison.Ordinal))
                    Dispatch(packet.AsSpan(2));
                else if (packet.StartsWith("43", StringComparison.Ordinal))
                    Acknowledge(packet.AsSpan(2));
                else if (packet is ['1', ..] or "41")
                    break; // the server closed the session or the namespace
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or WebSocketException or IOException)
        {
            // Closed.
        }
        catch (Exception exception)
        {
            // A packet or a handler the bench did not expect: say so rather than go quiet.
            Console.Error.WriteLine($"socket.io client stopped: {exception.Message}");
        }
        foreach (var ack in _acks.Values) ack.TrySetException(new IOException("socket.io connection closed"));
    }

    private void Dispatch(ReadOnlySpan<char> text)
    {
        text = text.TrimStart("0123456789"); // an ack id the server asks for; the reference server never does
        using var document = JsonDocument.Parse(text.ToString());
        var arguments = document.RootElement;
        if (arguments.GetArrayLength() > 0 && _handlers.TryGetValue(arguments[0].GetString() ?? "", out var handler))
            handler(arguments.GetArrayLength() > 1 ? arguments[1] : default);
    }

    private void Acknowledge(ReadOnlySpan<char> text)
    {
        var digits = text.Length - text.TrimStart("0123456789").Length;
        if (int.TryParse(text[..digits], NumberStyles.None, CultureInfo.InvariantCulture, out var id) &&
            _acks.TryGetValue(id, out var ack))
        {
            ack.TrySetResult(text[digits..].ToString());
        }
    }

    private async Task SendAsync(string text, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        await BenchWebSockets.SendTextAsync(_socket, _sending, bytes, cancellationToken);
    }

    private async Task<string> ReceiveAsync(CancellationToken cancellationToken)
    {
        var result = await _socket.ReceiveAsync(_buffer, cancellationToken);
        if (result.MessageType == WebSocketMessageType.Close) throw new IOException("closed by the server");
        if (result.EndOfMessage) return Encoding.UTF8.GetString(_buffer, 0, result.Count);
        using var whole = new MemoryStream();
        whole.Write(_buffer, 0, result.Count);
        do
        {
            result = await _socket.ReceiveAsync(_buffer, cancellationToken);
            whole.Write(_buffer, 0, result.Count);
        } while (!result.EndOfMessage);
        return Encoding.UTF8.GetString(whole.GetBuffer(), 0, (int)whole.Length);
    }

    public async ValueTask DisposeAsync()
    {
        await BenchWebSockets.CloseQuietlyAsync(_socket);
        await _closing.CancelAsync();
        await _receiving;
        _socket.Dispose();
        _closing.Dispose();
        _sending.Dispose();
    }
}
