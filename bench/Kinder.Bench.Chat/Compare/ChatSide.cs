using System.Text.Json;

namespace Kinder.Bench.Chat.Compare;

/// <summary>One bench client's live connection to a side.</summary>
public interface IChatConnection : IAsyncDisposable
{
    /// <summary>Sends a text message; returns once the server accepted it (the hub's result, the socket.io ack).</summary>
    Task SendAsync(Guid conversationId, string clientMessageId, string body);
}

/// <summary>A server under comparison: what the scenarios connect to, ask over HTTP, and measure.</summary>
internal interface IChatSide
{
    string Name { get; }
    Uri HttpBase { get; }
    string MePath { get; }
    string ConversationsPath { get; }

    /// <summary>Connects <paramref name="client"/>; every <c>message:new</c> goes to <paramref name="onMessage"/>(conversation, body).</summary>
    Task<IChatConnection> ConnectAsync(BenchClient client, Action<Guid, string> onMessage, CancellationToken cancellationToken);

    /// <summary>CPU seconds so far of every process that serves this side, by name.</summary>
    Dictionary<string, double> CpuSeconds();

    /// <summary>Resident memory of the processes that hold the sockets.</summary>
    long SocketServerRss();

    /// <summary>Starts timing the side's own hops over a measured window, if it reports them (Kinder does).</summary>
    HopTimings? StartHopTimings(TimeSpan window);
}

/// <summary>Kinder: the hub (through <see cref="HubJsonClient"/>, as small as the reference's client) and the Api.</summary>
internal sealed class KinderSide(BenchOptions options, ServiceSet services) : IChatSide
{
    private static readonly TimeSpan CompletionTimeout = TimeSpan.FromSeconds(30);

    public string Name => "Kinder";
    public Uri HttpBase => options.Api;
    public string MePath => "/api/v1/auth/me";
    public string ConversationsPath => "/api/v1/conversations";

    public async Task<IChatConnection> ConnectAsync(BenchClient client, Action<Guid, string> onMessage, CancellationToken cancellationToken)
    {
        var hub = new HubJsonClient();
        hub.On("message:new", message =>
            onMessage(message.GetProperty("conversationId").GetGuid(),
                message.TryGetProperty("body", out var body) ? body.GetString() ?? "" : ""));
        try
        {
            var realtime = options.Realtime[client.Index % options.Realtime.Count];
            await hub.ConnectAsync(new Uri(realtime, "/hubs/chat"), client.Token, cancellationToken);
        }
        catch
        {
            await hub.DisposeAsync();
            throw;
        }
        return new HubChatConnection(hub);
    }

    public Dictionary<string, double> CpuSeconds() => services.CpuSeconds();

    public long SocketServerRss() => services.RealtimeRss();

    public HopTimings? StartHopTimings(TimeSpan window) => HopTimings.Start(services, window);

    private sealed class HubChatConnection(HubJsonClient hub) : IChatConnection
    {
        public Task SendAsync(Guid conversationId, string clientMessageId, string body) =>
            hub.InvokeAsync("SendMessage", [conversationId, clientMessageId, body], CompletionTimeout);

        public ValueTask DisposeAsync() => hub.DisposeAsync();
    }
}

/// <summary>The reference server: socket.io with the token in the handshake's auth, and its REST routes.</summary>
internal sealed class ReferenceSide(ReferenceServer server, int? postgresPid) : IChatSide
{
    private static readonly TimeSpan AckTimeout = TimeSpan.FromSeconds(30);

    public string Name => "reference";
    public Uri HttpBase => server.Url;
    public string MePath => "/auth/me";
    public string ConversationsPath => "/conversations";

    public async Task<IChatConnection> ConnectAsync(BenchClient client, Action<Guid, string> onMessage, CancellationToken cancellationToken)
    {
        var socket = new SocketIoClient();
        socket.On("message:new", data =>
            onMessage(data.GetProperty("conversationId").GetGuid(), data.GetProperty("body").GetString() ?? ""));
        try
        {
            await socket.ConnectAsync(server.Url, new { token = client.Token }, cancellationToken);
        }
        catch
        {
            await socket.DisposeAsync();
            throw;
        }
        return new SocketChatConnection(socket);
    }

    /// <summary>The node process and, as for Kinder, the PostgreSQL server both databases live in.</summary>
    public Dictionary<string, double> CpuSeconds()
    {
        var seconds = new Dictionary<string, double> { ["node"] = ProcessStats.CpuSeconds(server.Pid) };
        if (postgresPid is { } postgres) seconds["postgres"] = ProcessStats.CpuSeconds(postgres);
        return seconds;
    }

    public long SocketServerRss() => ProcessStats.RssBytes(server.Pid);

    public HopTimings? StartHopTimings(TimeSpan window) => null; // one process: nothing in between to time

    private sealed class SocketChatConnection(SocketIoClient socket) : IChatConnection
    {
        public async Task SendAsync(Guid conversationId, string clientMessageId, string body)
        {
            var ack = await socket.EmitWithAckAsync("message:send", new { conversationId, clientMessageId, body }, AckTimeout);
            using var arguments = JsonDocument.Parse(ack);
            var answer = arguments.RootElement[0];
            if (!answer.GetProperty("ok").GetBoolean())
                throw new InvalidOperationException($"message:send refused: {answer.GetProperty("error").GetString()}");
        }

        public ValueTask DisposeAsync() => socket.DisposeAsync();
    }
}
