using Kinder.Core.Diagnostics;
using Kinder.Messaging;
using Kinder.Realtime.Hubs;

namespace Kinder.Tests.Realtime;

/// <summary>A probe's result goes to the operator who recorded it, not to every connection.</summary>
public sealed class ProbeDeliveryTests(RealtimeFactory realtime) : IClassFixture<RealtimeFactory>
{
    [Fact]
    public async Task A_probe_reaches_only_the_connections_of_the_operator_who_recorded_it()
    {
        var (admin, bystander) = (await realtime.CreateUserAsync(), await realtime.CreateUserAsync());
        await using var adminConnection = await realtime.ConnectAsync(admin);
        await using var bystanderConnection = await realtime.ConnectAsync(bystander);
        var (adminEvents, bystanderEvents) = (new ServerEventLog(adminConnection), new ServerEventLog(bystanderConnection));
        var probe = new ProbeRecordedIntegrationEvent(Guid.NewGuid(), "is the path up?", DateTimeOffset.UtcNow, admin.Id);

        await realtime.ProduceAsync(Topics.SystemProbes, probe.ProbeId.ToString(), ProbeRecordedIntegrationEvent.RecordType, probe);

        await adminEvents.WaitAsync(ServerEvents.ProbeRecorded, e => e.GetProperty("probeId").GetGuid() == probe.ProbeId);
        await bystanderEvents.AssertNoneAsync(ServerEvents.ProbeRecorded);
    }
}
