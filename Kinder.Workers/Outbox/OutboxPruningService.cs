using Kinder.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kinder.Workers.Outbox;

/// <summary>Section <c>Outbox</c>: how long published rows stay.</summary>
public sealed class OutboxPruningOptions
{
    /// <summary>
    /// Published rows are kept this long, then deleted. Short: a row is the payload that went to Kafka, and it may
    /// name people (an email request's address); once published the database has no use for it.
    /// </summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How often published rows past <see cref="Retention"/> are deleted.</summary>
    public TimeSpan PruneInterval { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>Deletes outbox rows published longer than <see cref="OutboxPruningOptions.Retention"/> ago.</summary>
public sealed class OutboxPruningService(IServiceScopeFactory scopeFactory, IOptions<OutboxPruningOptions> options,
    TimeProvider time, ILogger<OutboxPruningService> logger) : PeriodicService(logger)
{
    protected override TimeProvider WaitClock => time;

    protected override TimeSpan Interval => options.Value.PruneInterval;

    protected override string Work => "Pruning published outbox rows";

    protected override Task RunPassAsync(CancellationToken cancellationToken) => PruneAsync(cancellationToken);

    public async Task<int> PruneAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KinderDbContext>();
        var cutoff = time.GetUtcNow() - options.Value.Retention;
        var deleted = await db.OutboxMessages
            .Where(message => message.PublishedAt != null && message.PublishedAt <= cutoff)
            .ExecuteDeleteAsync(cancellationToken);
        if (deleted > 0)
        {
            logger.LogInformation("Deleted {Count} outbox rows published before {Cutoff}", deleted, cutoff);
        }
        return deleted;
    }
}
