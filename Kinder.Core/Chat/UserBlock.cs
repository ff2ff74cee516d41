using Kinder.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Core.Chat;

/// <summary>
/// <see cref="BlockerId"/> blocked <see cref="BlockedId"/>. A block hides the two from each other, whichever of them
/// blocked: profiles, direct conversations, typing and presence, and the organizer's events with their discussions.
/// Blocks are one row per direction; ask <see cref="UserBlocks"/>, never the table.
/// </summary>
public sealed class UserBlock
{
    public required Guid BlockerId { get; init; }
    public required Guid BlockedId { get; init; }
    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;
}

/// <summary>
/// The one question every feature asks about blocks: are these two blocked, either way? Features added later (friend
/// requests, …) ask it here too.
/// </summary>
public static class UserBlocks
{
    /// <summary>Whether either user blocked the other.</summary>
    public static Task<bool> BetweenAsync(this KinderDbContext db, Guid a, Guid b, CancellationToken cancellationToken) =>
        db.UserBlocks.AnyAsync(
            x => (x.BlockerId == a && x.BlockedId == b) || (x.BlockerId == b && x.BlockedId == a), cancellationToken);

    /// <summary>
    /// Everyone <paramref name="userId"/> blocked or who blocked them, as a query to compose into others (one SQL
    /// statement: <c>!db.BlockedEitherWay(me).Contains(e.OrganizerId)</c>).
    /// </summary>
    public static IQueryable<Guid> BlockedEitherWay(this KinderDbContext db, Guid userId) =>
        db.UserBlocks
            .Where(x => x.BlockerId == userId || x.BlockedId == userId)
            .Select(x => x.BlockerId == userId ? x.BlockedId : x.BlockerId);
}
