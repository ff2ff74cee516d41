using System.Diagnostics;
using Kinder.Core.Diagnostics;
using Kinder.Messaging;
using Kinder.Realtime.Hubs;
using Microsoft.AspNetCore.SignalR;

namespace Kinder.Realtime.Diagnostics;

/// <summary>What clients receive as <c>probe:recorded</c>; <c>traceId</c> lets them match it to the request that caused it.</summary>
public sealed record ProbeRecordedNotification(Guid ProbeId, string Message, DateTimeOffset RecordedAt, string? TraceId);

/// <summary>The last hop of the probe path: a ProbeRecorded record from Kafka goes to every connected client.</summary>
public sealed class ProbeRecordedIntegrationEventHandler(IHubContext<ChatHub> hub,
    ILogger<ProbeRecordedIntegrationEventHandler> logger) : IRecordHandler<ProbeRecordedIntegrationEvent>
{
    public async Task HandleAsync(ProbeRecordedIntegrationEvent probe, KafkaRecord source, CancellationToken cancellationToken)
    {
        var traceId = Activity.Current?.TraceId.ToHexString();
        await hub.Clients.All.SendAsync(ServerEvents.ProbeRecorded,
            new ProbeRecordedNotification(probe.ProbeId, probe.Message, probe.RecordedAt, traceId), cancellationToken);
        logger.LogInformation("Pushed probe {ProbeId} to connected clients (trace {TraceId})", probe.ProbeId, traceId);
    }
}
