namespace Kinder.Core.Chat;

/// <summary>
/// A place people talk: a direct conversation between two users (one per pair), a group with an owner, or an event's
/// discussion (one per event; its members follow the event's attendance). Messages in it are numbered by
/// <see cref="LastSeq"/>, taken under the conversation's row lock, so <c>seq</c> has no gaps and no duplicates.
/// </summary>
public sealed class Conversation
{
    public const int MaxTitleLength = 120;
    public const int MaxGroupMembers = 250;

    public Guid Id { get; init; } = Guid.CreateVersion7();
    public ConversationType Type { get; init; }
    public string? Title { get; set; }

    /// <summary>The group's owner (who adds and removes members); for an event discussion, the organizer.</summary>
    public Guid? OwnerId { get; set; }

    /// <summary>The event whose discussion this is (unique).</summary>
    public Guid? EventId { get; init; }

    /// <summary>For a direct conversation, <see cref="DirectKeys.For"/> of its two users (unique): one per pair.</summary>
    public string? DirectKey { get; init; }

    /// <summary>The seq of the last message; the next message gets <c>LastSeq + 1</c>.</summary>
    public long LastSeq { get; set; }

    /// <summary>When the last message arrived, or the creation time: the conversation list's order.</summary>
    public DateTimeOffset LastActivityAt { get; set; } = DateTimeOffset.UtcNow;

    /// <summary>
    /// After this time nobody writes (an event discussion once its event is over or cancelled); null for never.
    /// </summary>
    public DateTimeOffset? ReadOnlyAfter { get; set; }

    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;

    public bool IsReadOnlyAt(DateTimeOffset now) => ReadOnlyAfter is { } after && now >= after;
}

public enum ConversationType
{
    Direct,
    Group,
    Event,
}

/// <summary>The unique key of the direct conversation between two users, the same whichever of them asks.</summary>
public static class DirectKeys
{
    public static string For(Guid a, Guid b) => a.CompareTo(b) < 0 ? $"{a:N}:{b:N}" : $"{b:N}:{a:N}";
}
