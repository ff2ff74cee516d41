using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Kinder.Bench.Chat.Compare;

/// <summary>
/// The least of a SignalR client (JSON hub protocol over a WebSocket, no negotiation, no reconnection) that the
/// comparison needs: handshake, invocations answered by completions, server invocations, pings. It is the
/// counterpart of <see cref="SocketIoClient"/>, so both sides are driven by equally small clients on the same machine
/// (the full SignalR .NET client costs about three times the CPU per message, which the servers then lack).
/// </summary>
public sealed class HubJsonClient : IAsyncDisposable
{
    private const byte RecordSeparator = 0x1e;
    private static readonly TimeSpan PingInterval = TimeSpan.FromSeconds(15); // the server drops a client silent for 30 s

    private readonly ClientWebSocket _socket = new();
    private readonly SemaphoreSlim _sending = new(1, 1); // a WebSocket takes one send at a time
    private readonly ConcurrentDictionary<string, TaskCompletionSource<string>> _completions = new();
    private readonly Dictionary<string, Action<JsonElement>> _handlers = [];
    private readonly CancellationTokenSource _closing = new();
    private Task _receiving = Task.CompletedTask;
    private Task _pinging = Task.CompletedTask;
    private int _lastInvocationId;

    /// <summary>Handles server invocations of <paramref name="target"/>; the element (the first argument) is valid only during the call.</summary>
    public void On(string target, Action<JsonElement> handler) => _handlers[target] = handler;

    public async Task ConnectAsync(Uri hub, string accessToken, CancellationToken cancellationToken)
    {
        var address = new UriBuilder(hub) { Scheme = hub.Scheme == "https" ? "wss" : "ws" };
        _socket.Options.SetRequestHeader("Authorization", "Bearer " + accessToken);
        await _socket.ConnectAsync(address.Uri, cancellationToken);
        await SendAsync("""{"protocol":"json","version":1}""", cancellationToken);
        var pending = new ArrayBufferWriter<byte>();
        var handshake = await ReceiveRecordAsync(pending, cancellationToken);
        if (handshake != "{}")
            throw new IOException($"The hub refused the handshake: {handshake}");
        _receiving = Task.Run(() => ReceiveLoopAsync(pending), CancellationToken.None);
        _pinging = Task.Run(PingLoopAsync, CancellationToken.None);
    }

    /// <summary>Invokes a hub method and returns its completion's result (raw JSON); a hub error throws.</summary>
    public async Task<string> InvokeAsync(string target, object?[] arguments, TimeSpan timeout)
    {
        var id = Interlocked.Increment(ref _lastInvocationId).ToString(CultureInfo.InvariantCulture);
        var completion = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        _completions[id] = completion;
        try
        {
            await SendAsync(JsonSerializer.Serialize(new { type = 1, invocationId = id, target, arguments }), CancellationToken.None);
            return await completion.Task.WaitAsync(timeout);
        }
        finally
        {
            _completions.TryRemove(id, out _);
        }
    }

    private async Task ReceiveLoopAsync(ArrayBufferWriter<byte> pending)
    {
        try
        {
            while (!_closing.IsCancellationRequested)
            {
                var record = await ReceiveRecordAsync(pending, _closing.Token);
                if (!Handle(record)) break;
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or WebSocketException or IOException)
        {
            // Closed.
        }
        catch (Exception exception)
        {
            // A message or a handler the bench did not expect: say so rather than go quiet.
            Console.Error.WriteLine($"hub client stopped: {exception.Message}");
        }
        foreach (var completion in _completions.Values) completion.TrySetException(new IOException("hub connection closed"));
    }

    /// <summary>Acts on one hub protocol message; false once the server closes the connection.</summary>
    private bool Handle(string record)
    {
        using var document = JsonDocument.Parse(record);
        var message = document.RootElement;
        switch (message.GetProperty("type").GetInt32())
        {
            case 1 when message.TryGetProperty("target", out var target) && _handlers.TryGetValue(target.GetString() ?? "", out var handler):
                var arguments = message.GetProperty("arguments");
                handler(arguments.GetArrayLength() > 0 ? arguments[0] : default);
                break;
            case 3 when _completions.TryGetValue(message.GetProperty("invocationId").GetString() ?? "", out var completion):
                if (message.TryGetProperty("error", out var error))
                    completion.TrySetException(new InvalidOperationException($"hub error: {error.GetString()}"));
                else
                    completion.TrySetResult(message.TryGetProperty("result", out var result) ? result.GetRawText() : "null");
                break;
            case 7:
                return false; // close
        }
        return true; // pings (6) and anything else: nothing to do
    }

    private async Task PingLoopAsync()
    {
        try
        {
            using var timer = new PeriodicTimer(PingInterval);
            while (await timer.WaitForNextTickAsync(_closing.Token))
                await SendAsync("""{"type":6}""", _closing.Token);
        }
        catch (Exception exception) when (exception is OperationCanceledException or WebSocketException or IOException)
        {
            // Closed.
        }
    }

    private async Task SendAsync(string json, CancellationToken cancellationToken)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(json) + 1];
        Encoding.UTF8.GetBytes(json, bytes);
        bytes[^1] = RecordSeparator;
        await BenchWebSockets.SendTextAsync(_socket, _sending, bytes, cancellationToken);
    }

    /// <summary>
    /// The next record-separated message: a frame may carry several, or part of one, so what follows a separator
    /// stays in <paramref name="pending"/> for the next call.
    /// </summary>
    private async Task<string> ReceiveRecordAsync(ArrayBufferWriter<byte> pending, CancellationToken cancellationToken)
    {
        while (true)
        {
            var separator = pending.WrittenSpan.IndexOf(RecordSeparator);
            if (separator >= 0)
            {
                var record = Encoding.UTF8.GetString(pending.WrittenSpan[..separator]);
                var rest = pending.WrittenSpan[(separator + 1)..].ToArray();
                pending.ResetWrittenCount();
                pending.Write(rest);
                return record;
            }
            var result = await _socket.ReceiveAsync(pending.GetMemory(4096), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close) throw new IOException("closed by the server");
            pending.Advance(result.Count);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await BenchWebSockets.CloseQuietlyAsync(_socket);
        await _closing.CancelAsync();
        await _receiving;
        await _pinging;
        _socket.Dispose();
        _closing.Dispose();
        _sending.Dispose();
    }
}
