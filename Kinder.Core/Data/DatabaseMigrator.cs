using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Kinder.Core.Data;

/// <summary>
/// Applies pending EF Core migrations. Run by one process at start-up (the migrator step), never by the
/// services themselves, so N replicas never race each other over the schema.
/// </summary>
public static class DatabaseMigrator
{
    public static async Task MigrateAsync(KinderDbContext db, ILogger logger, CancellationToken cancellationToken = default)
    {
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count == 0)
        {
            logger.LogInformation("Database schema is up to date");
            return;
        }

        logger.LogInformation("Applying {Count} migration(s): {Migrations}", pending.Count, string.Join(", ", pending));
        // Migrations manage their own transactions; the execution strategy retries the whole run on a transient fault.
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(() => db.Database.MigrateAsync(cancellationToken));
        logger.LogInformation("Migrations applied");
    }
}
