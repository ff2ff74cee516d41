using Microsoft.Extensions.Options;

namespace Kinder.Realtime.Presence;

/// <summary>Refreshes this instance's connections every heartbeat, and sweeps for users whose connections ran out.</summary>
public sealed class PresenceHeartbeatService(PresenceTracker tracker, IOptions<RealtimeOptions> options,
    TimeProvider time, ILogger<PresenceHeartbeatService> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.WhenAll(
        RepeatAsync(options.Value.Presence.HeartbeatInterval, tracker.HeartbeatAsync, "heartbeat", stoppingToken),
        RepeatAsync(options.Value.Presence.SweepInterval, tracker.SweepAsync, "sweep", stoppingToken));

    private async Task RepeatAsync(TimeSpan interval, Func<CancellationToken, Task> work, string name, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await work(stoppingToken);
                }
                catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
                {
                    // Redis down: the next tick tries again; entries outlive a missed heartbeat by design.
                    logger.LogWarning(exception, "Presence {Work} failed; retrying next tick", name);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
