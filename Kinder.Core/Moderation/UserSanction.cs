namespace Kinder.Core.Moderation;

/// <summary>
/// A warning, suspension or ban, kept as history (admin user detail). What is in force is also on the user
/// (<see cref="Identity.User.SuspendedUntil"/>, <see cref="Identity.User.BannedAt"/>), which the bearer check reads.
/// </summary>
public sealed class UserSanction
{
    public const int MaxReasonLength = 2000;

    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required Guid UserId { get; init; }
    public SanctionKind Kind { get; init; }

    /// <summary>The end of a suspension; null for warnings and bans.</summary>
    public DateTimeOffset? Until { get; init; }
    public string? Reason { get; init; }
    public Guid? ReportId { get; init; }

    /// <summary>The moderator or admin; null for automatic escalation.</summary>
    public Guid? ActorId { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? LiftedAt { get; set; }
    public Guid? LiftedBy { get; set; }
}

public enum SanctionKind
{
    Warn,
    Suspend,
    Ban,
}
