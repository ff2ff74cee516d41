using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace Kinder.Realtime.Hubs;

/// <summary>
/// The one SignalR hub clients connect to (API.md, Realtime). Server events are sent by the Kafka record handlers
/// through <see cref="IHubContext{THub}"/>; with the Redis backplane they reach a connection on any instance.
/// Connections authenticate with our access token (<c>?access_token=</c>); a revoked token is refused.
/// </summary>
[Authorize]
public sealed class ChatHub(ILogger<ChatHub> logger) : Hub
{
    public const string Path = "/hubs/chat";

    public override Task OnConnectedAsync()
    {
        logger.LogDebug("Connection {ConnectionId} opened", Context.ConnectionId);
        return base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        logger.LogDebug("Connection {ConnectionId} closed", Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }
}
