using System.Collections.Concurrent;

namespace Kinder.Realtime.Presence;

/// <summary>
/// The connections this instance holds and their users: what its heartbeat refreshes. One small entry per
/// connection, nothing else is kept per connection.
/// </summary>
public sealed class LocalConnections
{
    private readonly ConcurrentDictionary<string, Guid> connections = new(StringComparer.Ordinal);

    public int Count => connections.Count;

    public void Add(string connectionId, Guid userId) => connections[connectionId] = userId;

    public bool Contains(string connectionId) => connections.ContainsKey(connectionId);

    public void Remove(string connectionId) => connections.TryRemove(connectionId, out _);

    public IEnumerable<KeyValuePair<string, Guid>> Snapshot() => connections;
}
