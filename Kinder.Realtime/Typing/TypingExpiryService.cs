using Microsoft.Extensions.Options;

namespace Kinder.Realtime.Typing;

/// <summary>Sends <c>typing:stop</c> for indicators nobody refreshed in time (every instance sweeps).</summary>
public sealed class TypingExpiryService(TypingIndicators typing, IOptions<RealtimeOptions> options, TimeProvider time,
    ILogger<TypingExpiryService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Typing.SweepInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await typing.SweepAsync(stoppingToken);
                }
                catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning(exception, "Typing sweep failed; retrying next tick");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
