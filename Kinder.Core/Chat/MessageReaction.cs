namespace Kinder.Core.Chat;

/// <summary>One user's reaction with one emoji on one message; a user may react with several emoji.</summary>
public sealed class MessageReaction
{
    public const int MaxEmojiLength = 32;

    public required Guid MessageId { get; init; }
    public required Guid UserId { get; init; }
    public required string Emoji { get; init; }
    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;
}
