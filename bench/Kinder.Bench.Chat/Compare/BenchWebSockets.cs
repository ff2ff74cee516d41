using System.Net.WebSockets;

namespace Kinder.Bench.Chat.Compare;

/// <summary>What both bench clients (<see cref="SocketIoClient"/>, <see cref="HubJsonClient"/>) do with their WebSocket alike.</summary>
internal static class BenchWebSockets
{
    /// <summary>Sends one text message; a WebSocket takes one send at a time, so sends queue on <paramref name="sending"/>.</summary>
    public static async Task SendTextAsync(ClientWebSocket socket, SemaphoreSlim sending, byte[] utf8, CancellationToken cancellationToken)
    {
        await sending.WaitAsync(cancellationToken);
        try
        {
            await socket.SendAsync(utf8, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        }
        finally
        {
            sending.Release();
        }
    }

    /// <summary>Says goodbye if the socket is still open, within 5 s; a socket already gone is fine.</summary>
    public static async Task CloseQuietlyAsync(ClientWebSocket socket)
    {
        try
        {
            if (socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or IOException)
        {
            // Already gone.
        }
    }
}
