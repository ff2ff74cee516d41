namespace Kinder.Core.Moderation;

/// <summary>
/// A user's report on a user, an event or a message. One open report per reporter and target (a unique partial
/// index); the reported person is <see cref="TargetUserId"/> (the user, the organizer, the sender) and never learns
/// who reported. <see cref="TargetSummary"/> keeps what was reported as it was then, so moderators can judge it after
/// the author edited, deleted, or a moderator removed it.
/// </summary>
public sealed class Report
{
    public const int MaxDetailsLength = 2000;
    public const int MaxNoteLength = 2000;
    public const int MaxSummaryLength = 5000;

    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required Guid ReporterId { get; init; }
    public ReportTargetType TargetType { get; init; }
    public Guid TargetId { get; init; }
    public Guid TargetUserId { get; init; }

    /// <summary>The conversation a reported message is in (the context a moderator may read).</summary>
    public Guid? ConversationId { get; init; }

    public ReportReason Reason { get; init; }
    public string? Details { get; init; }
    public string? TargetSummary { get; init; }

    public ReportStatus Status { get; set; } = ReportStatus.Open;
    public ModerationAction? Action { get; set; }
    public string? Note { get; set; }
    public Guid? ResolvedBy { get; set; }
    public DateTimeOffset? ResolvedAt { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
}

public enum ReportTargetType
{
    User,
    Event,
    Message,
}

public enum ReportReason
{
    Spam,
    Harassment,
    Inappropriate,
    Scam,
    Other,
}

public enum ReportStatus
{
    Open,
    Resolved,
}

/// <summary>What a moderator did about a report; all but <see cref="Dismiss"/> uphold it (automatic escalation counts them).</summary>
public enum ModerationAction
{
    Dismiss,
    RemoveContent,
    Warn,
    Suspend,
    Ban,
}
