namespace Kinder.Core.Friends;

/// <summary>
/// <see cref="RequesterId"/> asked <see cref="AddresseeId"/> to be friends. At most one pending request per direction
/// (a unique index); answered rows stay, so a decline's time can hold back the next request (the cool-down).
/// </summary>
public sealed class FriendRequest
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required Guid RequesterId { get; init; }
    public required Guid AddresseeId { get; init; }
    public FriendRequestStatus Status { get; set; } = FriendRequestStatus.Pending;
    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>When it was accepted, declined or cancelled.</summary>
    public DateTimeOffset? RespondedAt { get; set; }
}

public enum FriendRequestStatus
{
    Pending,
    Accepted,
    Declined,
    Cancelled,
}
