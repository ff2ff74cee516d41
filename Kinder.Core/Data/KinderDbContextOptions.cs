using Microsoft.EntityFrameworkCore;
using Npgsql.EntityFrameworkCore.PostgreSQL.Infrastructure;

namespace Kinder.Core.Data;

/// <summary>
/// The provider settings every user of <see cref="KinderDbContext"/> shares: the hosts, the migrator,
/// the design-time factory and the tests, so none of them drifts from the others.
/// </summary>
public static class KinderDbContextOptions
{
    public const int DefaultMaxRetryCount = 6;

    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder options, string connectionString,
        int maxRetryCount = DefaultMaxRetryCount) =>
        options
            .UseNpgsql(connectionString, npgsql => ConfigureNpgsql(npgsql, maxRetryCount))
            .UseSnakeCaseNamingConvention();

    private static void ConfigureNpgsql(NpgsqlDbContextOptionsBuilder npgsql, int maxRetryCount)
    {
        npgsql.UseNetTopologySuite();
        npgsql.MigrationsHistoryTable("__ef_migrations_history");
        if (maxRetryCount > 0)
        {
            // What Aspire's Npgsql EF integration turns on: transient failures (failover, restart) are retried.
            npgsql.EnableRetryOnFailure(maxRetryCount, maxRetryDelay: TimeSpan.FromSeconds(5), errorCodesToAdd: null);
        }
    }
}
