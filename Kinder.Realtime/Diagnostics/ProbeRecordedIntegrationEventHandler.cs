using System.Diagnostics;
using Kinder.Core.Diagnostics;
using Kinder.Messaging;
using Kinder.Realtime.Delivery;
using Kinder.Realtime.Hubs;

namespace Kinder.Realtime.Diagnostics;

/// <summary>What clients receive as <c>probe:recorded</c>; <c>traceId</c> lets them match it to the request that caused it.</summary>
public sealed record ProbeRecordedNotification(Guid ProbeId, string Message, DateTimeOffset RecordedAt, string? TraceId);

/// <summary>
/// The last hop of the probe path: a ProbeRecorded record from Kafka goes to the connections of the operator who
/// recorded it, never to everyone (a probe's text is the operator's, not a broadcast).
/// </summary>
public sealed class ProbeRecordedIntegrationEventHandler(LocalRecipients recipients,
    ILogger<ProbeRecordedIntegrationEventHandler> logger) : IRecordHandler<ProbeRecordedIntegrationEvent>
{
    public Task HandleAsync(ProbeRecordedIntegrationEvent probe, KafkaRecord source, CancellationToken cancellationToken)
    {
        var traceId = Activity.Current?.TraceId.ToHexString();
        if (probe.RequestedBy is not { } operatorId)
        {
            logger.LogWarning("Probe {ProbeId} names no operator; delivered to nobody (trace {TraceId})", probe.ProbeId, traceId);
            return Task.CompletedTask;
        }
        var sent = recipients.Send([operatorId], ServerEvents.ProbeRecorded,
            new ProbeRecordedNotification(probe.ProbeId, probe.Message, probe.RecordedAt, traceId));
        logger.LogInformation("Pushed probe {ProbeId} to {Connections} of its operator's connections here (trace {TraceId})",
            probe.ProbeId, sent, traceId);
        return Task.CompletedTask;
    }
}
