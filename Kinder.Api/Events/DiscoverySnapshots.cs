using System.Text.Json;
using Kinder.Api.Infrastructure;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Kinder.Api.Events;

/// <summary>One ranked entry of a feed snapshot: the event, its score and reasons when the feed was ranked.</summary>
public sealed record DiscoverySnapshotEntry(Guid Id, double Score, IReadOnlyList<string> Reasons);

/// <summary>A ranked feed kept for its cursor: the point distances are measured from, and the entries in order.</summary>
public sealed record DiscoverySnapshot(double? Latitude, double? Longitude, IReadOnlyList<DiscoverySnapshotEntry> Entries);

/// <summary>
/// Stable paging of <c>GET /events/discover</c> by snapshot. A score moves while someone pages (people answer, time
/// passes, events are added), so a keyset on (score, id) could repeat or skip events. Instead the first page ranks all
/// candidates once and keeps the ranked ids in Redis (per user, for <see cref="DiscoveryOptions.SnapshotLifetime"/>);
/// the opaque cursor is (snapshot id, offset). Paging to the end therefore returns each ranked event exactly once,
/// whatever is added meanwhile; events added after the first page show up on the next fresh feed. Each page's events are
/// read fresh (counts, status), and one cancelled or started since is left out of its page rather than shown stale.
/// An expired snapshot's cursor is refused (400), and the client starts again from the first page.
/// </summary>
public sealed class DiscoverySnapshots(IConnectionMultiplexer redis, IOptions<DiscoveryOptions> options)
{
    public async Task<Guid> SaveAsync(Guid userId, DiscoverySnapshot snapshot)
    {
        var id = Guid.CreateVersion7();
        await redis.GetDatabase().StringSetAsync(Key(userId, id), JsonSerializer.Serialize(snapshot),
            options.Value.SnapshotLifetime);
        return id;
    }

    public async Task<DiscoverySnapshot?> FindAsync(Guid userId, Guid snapshotId)
    {
        var value = await redis.GetDatabase().StringGetAsync(Key(userId, snapshotId));
        return value.IsNullOrEmpty ? null : JsonSerializer.Deserialize<DiscoverySnapshot>(value.ToString());
    }

    public static string EncodeCursor(Guid snapshotId, int offset) =>
        Cursors.Encode(new DiscoveryCursor(snapshotId, offset));

    public static bool TryDecodeCursor(string cursor, out Guid snapshotId, out int offset)
    {
        var position = Cursors.Decode<DiscoveryCursor>(cursor);
        (snapshotId, offset) = position is { Offset: >= 0 } ? (position.Snapshot, position.Offset) : (Guid.Empty, 0);
        return position is { Offset: >= 0 };
    }

    private static string Key(Guid userId, Guid snapshotId) => $"discover:{userId:N}:{snapshotId:N}";
}

/// <summary>Where a discovery cursor continues: the snapshot and the offset in it.</summary>
internal sealed record DiscoveryCursor(Guid Snapshot, int Offset);
