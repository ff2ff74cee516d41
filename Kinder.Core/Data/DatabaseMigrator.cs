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
        logger.LogInformation("Applying pending migrations, if any");
        // Migrations manage their own transactions; the execution strategy retries the whole run on a transient fault.
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(() => db.Database.MigrateAsync(cancellationToken));
        logger.LogInformation("Database schema is up to date");
    }
}
