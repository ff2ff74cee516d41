using Microsoft.EntityFrameworkCore;
using Npgsql.EntityFrameworkCore.PostgreSQL.Infrastructure;

namespace Kinder.Core.Data;

/// <summary>
/// The provider settings every user of <see cref="KinderDbContext"/> shares: the hosts, the migrator,
/// the design-time factory and the tests, so none of them drifts from the others.
/// </summary>
public static class KinderDbContextOptions
{
    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder options, string connectionString,
        bool retryOnFailure = true) =>
        options
            .UseNpgsql(connectionString, npgsql => ConfigureNpgsql(npgsql, retryOnFailure))
            .UseSnakeCaseNamingConvention();

    private static void ConfigureNpgsql(NpgsqlDbContextOptionsBuilder npgsql, bool retryOnFailure)
    {
        npgsql.UseNetTopologySuite();
        npgsql.MigrationsHistoryTable("__ef_migrations_history");
        if (retryOnFailure)
        {
            // What Aspire's Npgsql EF integration turns on: transient failures (failover, restart) are retried.
            npgsql.EnableRetryOnFailure(maxRetryCount: 6, maxRetryDelay: TimeSpan.FromSeconds(5), errorCodesToAdd: null);
        }
    }
}
