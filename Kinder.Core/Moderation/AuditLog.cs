namespace Kinder.Core.Moderation;

/// <summary>
/// One sensitive action, written by <see cref="AuditTrail"/> in the same transaction as the action. Append-only: no
/// code path updates or deletes a row, and a trigger (migration <c>Moderation</c>) refuses UPDATE, DELETE and TRUNCATE
/// for every database role. No foreign key to users: an erased account's trail stays.
/// </summary>
public sealed class AuditLog
{
    public const int MaxActionLength = 64;
    public const int MaxTargetTypeLength = 32;
    public const int MaxTargetIdLength = 64;
    public const int MaxIpLength = 64;
    public const int MaxUserAgentLength = 512;

    public Guid Id { get; init; } = Guid.CreateVersion7();

    /// <summary>Who did it: the signed-in user, the admin, or null (the system, an unknown address's failed sign-in).</summary>
    public Guid? ActorId { get; init; }

    /// <summary>One of <see cref="AuditActions"/>.</summary>
    public required string Action { get; init; }
    public string? TargetType { get; init; }
    public string? TargetId { get; init; }
    public string? Ip { get; init; }
    public string? UserAgent { get; init; }

    /// <summary>What else the action said (jsonb): a reason, the roles before and after, a report id.</summary>
    public string Data { get; init; } = "{}";

    public DateTimeOffset CreatedAt { get; init; }
}
