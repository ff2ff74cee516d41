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

    public void Add(HubConnectionContext connection)
    {
        if (UserOf(connection) is { } userId)
            byUser.AddOrUpdate(userId, static (_, added) => [added],
                static (_, existing, added) => [.. existing, added], connection);
    }

    public void Remove(HubConnectionContext connection)
    {
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
    public int Send(IEnumerable<Guid> userIds, string serverEvent, object payload)
    {
        SerializedHubMessage? message = null;
        var sent = 0;
        foreach (var userId in userIds)
        {
            if (!byUser.TryGetValue(userId, out var connections)) continue;
            message ??= new SerializedHubMessage(new InvocationMessage(serverEvent, [payload]));
            foreach (var connection in connections)
            {
                var write = connection.WriteAsync(message);
                if (!write.IsCompletedSuccessfully)
                    _ = ObserveAsync(write, connection, serverEvent);
                sent++;
            }
        }
        return sent;
    }

    private async Task ObserveAsync(ValueTask write, HubConnectionContext connection, string serverEvent)
    {
        try
        {
            await write;
        }
        catch (Exception exception)
        {
            // The connection is closing: the client syncs what it missed when it reconnects.
            logger.LogDebug(exception, "Could not write {ServerEvent} to connection {ConnectionId}", serverEvent, connection.ConnectionId);
        }
    }

    private static Guid? UserOf(HubConnectionContext connection) =>
        connection.User.Identity?.IsAuthenticated == true ? connection.User.GetUserId() : null;
}
