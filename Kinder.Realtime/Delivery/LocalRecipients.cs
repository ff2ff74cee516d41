using System.Collections.Concurrent;
using Kinder.Core.Identity;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace Kinder.Realtime.Delivery;

/// <summary>
/// This instance's hub connections by user: where records from Kafka are delivered. Every instance reads every
/// delivery record (RealtimeRecordDispatcher) and writes it to its own connections straight away — no backplane
/// round trip, and the message is serialized once for all its recipients (per hub protocol), not once per user.
/// </summary>
/// <remarks>
/// Writes are not awaited: a connection's writes queue in order on SignalR's per-connection write lock, so a slow
/// client holds up only itself (its pending writes share the one serialized message), and the transport's
/// backpressure and keep-alive timeout end a connection that stopped reading.
/// </remarks>
public sealed class LocalRecipients(ILogger<LocalRecipients> logger)
{
    // Copy-on-write arrays: a user has a handful of devices, and deliveries read far more often than connections change.
    private readonly ConcurrentDictionary<Guid, HubConnectionContext[]> byUser = new();
    private readonly ConcurrentDictionary<string, HubConnectionContext> byConnection = new(StringComparer.Ordinal);

    public void Add(HubConnectionContext connection)
    {
        byConnection[connection.ConnectionId] = connection;
        if (UserOf(connection) is { } userId)
            byUser.AddOrUpdate(userId, static (_, added) => [added],
                static (_, existing, added) => [.. existing, added], connection);
    }

    public void Remove(HubConnectionContext connection)
    {
        byConnection.TryRemove(new KeyValuePair<string, HubConnectionContext>(connection.ConnectionId, connection));
        if (UserOf(connection) is not { } userId) return;
        while (byUser.TryGetValue(userId, out var existing))
        {
            var remaining = Array.FindAll(existing, other => !ReferenceEquals(other, connection));
            if (remaining.Length == existing.Length) return;
            var replaced = remaining.Length == 0
                ? byUser.TryRemove(new KeyValuePair<Guid, HubConnectionContext[]>(userId, existing))
                : byUser.TryUpdate(userId, remaining, existing);
            if (replaced) return;
        }
    }

    /// <summary>Sends <paramref name="serverEvent"/> to every connection this instance holds for the users; returns how many.</summary>
    public int Send(IEnumerable<Guid> userIds, string serverEvent, object payload) =>
        SendToUsers(userIds, new Lazy<SerializedHubMessage>(() => new SerializedHubMessage(new InvocationMessage(serverEvent, [payload]))));

    public int SendToUsers(IEnumerable<Guid> userIds, SerializedHubMessage message) =>
        SendToUsers(userIds, new Lazy<SerializedHubMessage>(message));

    // Lazy: nothing is serialized when none of the users is connected here.
    private int SendToUsers(IEnumerable<Guid> userIds, Lazy<SerializedHubMessage> message)
    {
        var sent = 0;
        foreach (var userId in userIds)
        {
            if (!byUser.TryGetValue(userId, out var connections)) continue;
            foreach (var connection in connections)
            {
                Write(connection, message.Value);
                sent++;
            }
        }
        return sent;
    }

    public int SendToConnections(IEnumerable<string> connectionIds, SerializedHubMessage message)
    {
        var sent = 0;
        foreach (var connectionId in connectionIds)
        {
            if (!byConnection.TryGetValue(connectionId, out var connection)) continue;
            Write(connection, message);
            sent++;
        }
        return sent;
    }

    public int SendToAllExcept(IReadOnlyList<string> excludedConnectionIds, SerializedHubMessage message)
    {
        var sent = 0;
        foreach (var (connectionId, connection) in byConnection)
        {
            if (excludedConnectionIds.Contains(connectionId)) continue;
            Write(connection, message);
            sent++;
        }
        return sent;
    }

    private void Write(HubConnectionContext connection, SerializedHubMessage message)
    {
        var write = connection.WriteAsync(message);
        if (!write.IsCompletedSuccessfully)
            _ = ObserveAsync(write, connection, message);
    }

    private async Task ObserveAsync(ValueTask write, HubConnectionContext connection, SerializedHubMessage message)
    {
        try
        {
            await write;
        }
        catch (Exception exception)
        {
            // The connection is closing: the client syncs what it missed when it reconnects.
            logger.LogDebug(exception, "Could not write {ServerEvent} to connection {ConnectionId}",
                (message.Message as InvocationMessage)?.Target, connection.ConnectionId);
        }
    }

    private static Guid? UserOf(HubConnectionContext connection) =>
        connection.User.Identity?.IsAuthenticated == true ? connection.User.GetUserId() : null;
}
