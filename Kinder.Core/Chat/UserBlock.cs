namespace Kinder.Core.Chat;

/// <summary>
/// <see cref="BlockerId"/> blocked <see cref="BlockedId"/>: the blocked user cannot open or write to a direct
/// conversation with the blocker, and neither sees the other's typing or presence. Blocks are one row per direction.
/// </summary>
public sealed class UserBlock
{
    public required Guid BlockerId { get; init; }
    public required Guid BlockedId { get; init; }
    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;
}
