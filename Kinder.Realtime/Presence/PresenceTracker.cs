using Kinder.Realtime.Chat;
using Kinder.Realtime.Hubs;
using Microsoft.AspNetCore.SignalR;

namespace Kinder.Realtime.Presence;

/// <summary>What clients receive as <c>presence:online</c> and <c>presence:offline</c>.</summary>
public sealed record PresenceNotification(Guid UserId);

/// <summary>
/// Turns connections opening, closing and running out into <c>presence:online</c> / <c>presence:offline</c> for the
/// people the user shares a conversation with (<see cref="ChatAudience.ContactsAsync"/>: blocked pairs left out).
/// </summary>
public sealed class PresenceTracker(
    PresenceStore store,
    LocalConnections connections,
    ChatAudience audience,
    IHubContext<ChatHub> hub,
    ILogger<PresenceTracker> logger)
{
    private const int HeartbeatParallelism = 32;

    public async Task ConnectedAsync(Guid userId, string connectionId, CancellationToken cancellationToken)
    {
        connections.Add(connectionId, userId);
        if (await store.TouchAsync(userId, connectionId))
        {
            logger.LogDebug("User {UserId} came online on connection {ConnectionId}", userId, connectionId);
            await AnnounceAsync(userId, ServerEvents.PresenceOnline, cancellationToken);
        }
        await SendOnlineContactsAsync(userId, connectionId, cancellationToken);
    }

    public async Task DisconnectedAsync(Guid userId, string connectionId, CancellationToken cancellationToken)
    {
        connections.Remove(connectionId);
        if (await store.RemoveAsync(userId, connectionId))
        {
            logger.LogDebug("User {UserId} went offline: connection {ConnectionId} was their last", userId, connectionId);
            await AnnounceAsync(userId, ServerEvents.PresenceOffline, cancellationToken);
        }
    }

    /// <summary>Refreshes every connection this instance holds; someone who had expired is announced again.</summary>
    public Task HeartbeatAsync(CancellationToken cancellationToken) =>
        // Several refreshes in flight at once: ten thousand connections are pipelined round trips, not a serial walk.
        Parallel.ForEachAsync(connections.Snapshot(),
            new ParallelOptions { MaxDegreeOfParallelism = HeartbeatParallelism, CancellationToken = cancellationToken },
            async (connection, token) => await RefreshAsync(connection.Value, connection.Key, token));

    private async Task RefreshAsync(Guid userId, string connectionId, CancellationToken cancellationToken)
    {
        var cameOnline = await store.TouchAsync(userId, connectionId);
        if (!connections.Contains(connectionId))
        {
            // It closed while being refreshed: take it out again, so it does not linger until it expires.
            if (await store.RemoveAsync(userId, connectionId) && !cameOnline)
                await AnnounceAsync(userId, ServerEvents.PresenceOffline, cancellationToken);
            return;
        }
        if (cameOnline)
        {
            logger.LogDebug("User {UserId} is online again after a heartbeat of connection {ConnectionId}", userId, connectionId);
            await AnnounceAsync(userId, ServerEvents.PresenceOnline, cancellationToken);
        }
    }

    /// <summary>Announces offline the users whose every connection ran out (an instance died without closing them).</summary>
    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        foreach (var userId in await store.TakeExpiredAsync())
        {
            logger.LogInformation("User {UserId}'s connections expired without a heartbeat; announcing them offline", userId);
            await AnnounceAsync(userId, ServerEvents.PresenceOffline, cancellationToken);
        }
    }

    private async Task AnnounceAsync(Guid userId, string serverEvent, CancellationToken cancellationToken)
    {
        var contacts = await audience.ContactsAsync(userId, cancellationToken);
        if (contacts.Count > 0)
            await hub.Clients.Users(UserIds.ToStrings(contacts)).SendAsync(serverEvent, new PresenceNotification(userId), cancellationToken);
    }

    // A new connection learns who of its contacts is online now; after that the events keep it current.
    private async Task SendOnlineContactsAsync(Guid userId, string connectionId, CancellationToken cancellationToken)
    {
        var contacts = await audience.ContactsAsync(userId, cancellationToken);
        if (contacts.Count == 0)
            return;
        var online = await store.AreOnlineAsync(contacts);
        var client = hub.Clients.Client(connectionId);
        for (var i = 0; i < contacts.Count; i++)
        {
            if (online[i])
                await client.SendAsync(ServerEvents.PresenceOnline, new PresenceNotification(contacts[i]), cancellationToken);
        }
    }
}
