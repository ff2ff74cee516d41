namespace Kinder.Workers;

/// <summary>
/// Workers' periodic work (sweepers, pruning, the job scheduler): one pass, a wait of <see cref="Interval"/>, the next
/// pass, until the host stops. A pass that fails is logged and tried again at the next interval — a periodic job that
/// threw out of its loop would stop the host or, worse, silently stop doing its work.
/// </summary>
public abstract class PeriodicService(ILogger logger) : BackgroundService
{
    /// <summary>The clock the wait runs on (a test's clock moves it on).</summary>
    protected abstract TimeProvider WaitClock { get; }

    /// <summary>The wait between passes.</summary>
    protected abstract TimeSpan Interval { get; }

    /// <summary>What a pass does, for the log ("sweeping expired card holds").</summary>
    protected abstract string Work { get; }

    protected abstract Task RunPassAsync(CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunPassAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                logger.LogWarning(exception, "{Work} failed; trying again in {Interval}", Work, Interval);
            }
            try
            {
                await Task.Delay(Interval, WaitClock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
