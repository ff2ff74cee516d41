namespace Kinder.Core.Notifications;

/// <summary>
/// One notification for one user, stored once per (<see cref="UserId"/>, <see cref="CauseKey"/>): a redelivered
/// domain record finds its row there and writes nothing again. <see cref="CollapseKey"/> (chat: the conversation) keeps
/// at most one unread notification per key and user. <see cref="InApp"/> false: the user turned the feed off for this
/// type, the row exists only so that push and email name it (it is stored read and left out of the feed).
/// </summary>
public sealed class Notification
{
    public const int MaxTitleLength = 200;
    public const int MaxBodyLength = 1000;

    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required Guid UserId { get; init; }
    public required string Type { get; init; }
    public required string CauseKey { get; init; }
    public required string Title { get; set; }
    public required string Body { get; set; }

    /// <summary>Deep-link ids as a JSON object of strings (eventId, conversationId, messageId, userId, paymentId).</summary>
    public string Data { get; set; } = "{}";
    public string? CollapseKey { get; init; }
    public bool InApp { get; init; } = true;
    public DateTimeOffset? ReadAt { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
}
