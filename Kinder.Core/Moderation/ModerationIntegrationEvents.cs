using Kinder.Messaging;

namespace Kinder.Core.Moderation;

// Trust and safety's domain events, on Topics.Moderation: the notifications pipeline's hooks.

/// <summary>
/// A moderator removed an event (keyed by the event id). It was also cancelled the ordinary way (EventCancelled on
/// events.changes: refunds, the discussion read-only); this one says why, for an "event removed" notification to
/// <c>AttendeeIds</c> (everyone interested, going or waitlisted but the organizer).
/// </summary>
public sealed record EventRemovedIntegrationEvent(Guid EventId, string Title, DateTimeOffset RemovedAt,
    IReadOnlyList<Guid> AttendeeIds) : IRecord
{
    public static string RecordType => "EventRemoved";
}

/// <summary>
/// An admin broadcast (keyed by the broadcast id). The consumer makes one <c>broadcast</c> notification per user of the
/// audience, reading it in batches with <see cref="BroadcastAudience.NextBatchAsync"/> (keyset on the user id, so a
/// retried batch resumes where it stopped), its notification ids derived from (broadcast, user) so it happens once.
/// </summary>
public sealed record BroadcastRequestedIntegrationEvent(Guid BroadcastId, string Title, string Body, string? City,
    IReadOnlyList<int> InterestIds, DateTimeOffset CreatedAt) : IRecord
{
    public static string RecordType => "BroadcastRequested";
}

/// <summary>A user was warned, suspended, banned or reinstated (keyed by the user id): a hook to tell them.</summary>
public sealed record UserSanctionedIntegrationEvent(Guid UserId, SanctionKind? Kind, DateTimeOffset? Until,
    string? Reason, DateTimeOffset At) : IRecord
{
    public static string RecordType => "UserSanctioned";
}
