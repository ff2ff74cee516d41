namespace Kinder.Core.Friends;

/// <summary>
/// One direction of a friendship: every friendship is two rows, (a, b) and (b, a), written and removed together, so
/// "my friends" and "which of these people are my friends" are one index range on <see cref="UserId"/>.
/// </summary>
public sealed class Friendship
{
    public required Guid UserId { get; init; }
    public required Guid FriendId { get; init; }
    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;
}
