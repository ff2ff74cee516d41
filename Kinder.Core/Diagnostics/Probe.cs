using Kinder.Messaging;

namespace Kinder.Core.Diagnostics;

/// <summary>
/// A platform probe: a tiny change that travels the whole path a domain event takes
/// (Api → outbox → Workers → Kafka → Realtime → SignalR), so operators and tests can see the plumbing work.
/// </summary>
public sealed class Probe
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public const int MaxMessageLength = 500;

    public required string Message { get; init; }
    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;
}

/// <summary>A probe recorded; its result goes to <paramref name="RequestedBy"/>'s connections only.</summary>
public sealed record ProbeRecordedIntegrationEvent(Guid ProbeId, string Message, DateTimeOffset RecordedAt, Guid? RequestedBy = null) : IRecord
{
    public static string RecordType => "ProbeRecorded";
}
