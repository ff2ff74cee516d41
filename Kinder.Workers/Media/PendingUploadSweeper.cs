using Kinder.Core.Data;
using Kinder.Core.Storage;
using Kinder.Core.Uploads;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kinder.Workers.Media;

/// <summary>
/// Deletes uploads that were signed but never completed once they are older than <c>Uploads:PendingLifetime</c>
/// (well past the URL's own lifetime): the row, and whatever the client PUT to the incoming key. Every
/// <c>Uploads:SweepInterval</c>; any number of replicas may sweep, deleting twice is harmless.
/// </summary>
public sealed class PendingUploadSweeper(IServiceScopeFactory scopeFactory, IOptions<UploadOptions> options, TimeProvider time,
    ILogger<PendingUploadSweeper> logger) : PeriodicService(logger)
{
    private const int BatchSize = 100;

    protected override TimeProvider WaitClock => time;

    protected override TimeSpan Interval => options.Value.SweepInterval;

    protected override string Work => "Sweeping pending uploads";

    protected override async Task RunPassAsync(CancellationToken cancellationToken)
    {
        var swept = await SweepAsync(cancellationToken);
        if (swept > 0)
        {
            logger.LogInformation("Swept {Count} uploads that were never completed", swept);
        }
    }

    /// <summary>One pass: every pending upload past its lifetime, a batch at a time.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var swept = 0;
        while (true)
        {
            await using var scope = scopeFactory.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<KinderDbContext>();
            var storage = scope.ServiceProvider.GetRequiredService<ObjectStorage>();
            var cutoff = time.GetUtcNow() - options.Value.PendingLifetime;
            var stale = await db.Uploads.AsNoTracking()
                .Where(u => u.Status == UploadStatus.Pending && u.CreatedAt < cutoff)
                .OrderBy(u => u.CreatedAt)
                .Select(u => new { u.Id, u.Key })
                .Take(BatchSize)
                .ToListAsync(cancellationToken);
            foreach (var upload in stale)
            {
                // Objects first: a failure leaves the row, so the next pass tries again.
                await storage.DeleteAsync(UploadKeys.IncomingKey(upload.Key), cancellationToken);
                await db.Uploads.Where(u => u.Id == upload.Id && u.Status == UploadStatus.Pending).ExecuteDeleteAsync(cancellationToken);
            }
            swept += stale.Count;
            if (stale.Count < BatchSize)
            {
                return swept;
            }
        }
    }
}
