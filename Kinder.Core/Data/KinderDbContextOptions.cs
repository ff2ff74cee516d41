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
        ConfigureProvider(options.UseNpgsql(WithPoolDefaults(connectionString)), maxRetryCount);

    /// <summary>
    /// The same settings on a builder that already has its connection (Aspire's <c>AddNpgsqlDbContext</c> gives it
    /// one): NetTopologySuite, the history table, snake_case names, and retries that replace any set before.
    /// </summary>
    public static DbContextOptionsBuilder ConfigureProvider(DbContextOptionsBuilder options,
        int maxRetryCount = DefaultMaxRetryCount) =>
        options
            .UseNpgsql(npgsql => ConfigureNpgsql(npgsql, maxRetryCount))
            .UseSnakeCaseNamingConvention();

    /// <summary>
    /// The pool's settings every service shares; a setting the connection string makes itself wins.
    /// Statements run at least twice on a connection are prepared on it (kept across pool returns): the hot queries
    /// (discovery's candidates, the event reader, the chat processor) then skip parsing and planning, which for the
    /// PostGIS ones costs as much as running them. A connection returned to the pool is not reset: nothing that uses
    /// these settings leaves session state behind (settings are <c>SET LOCAL</c>; no advisory locks or temp tables; the
    /// outbox signal's LISTEN has a connection string, so a pool, of its own), and the reset is seven statements
    /// PostgreSQL runs before the next command on every rented connection. Npgsql still rolls back an open transaction.
    /// </summary>
    public static string WithPoolDefaults(string connectionString)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = 64;
            builder.AutoPrepareMinUsages = 2;
        }
        if (!Sets(connectionString, nameof(builder.NoResetOnClose)))
            builder.NoResetOnClose = true;
        return builder.ConnectionString;
    }

    // Npgsql's builder answers ContainsKey for every keyword it knows; the string itself says what it sets.
    private static bool Sets(string connectionString, string property) =>
        new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString }.Keys
            .Cast<string>()
            .Any(key => key.Replace(" ", "").Equals(property, StringComparison.OrdinalIgnoreCase));

    /// <summary>Where EF records the applied migrations (the migrator's; the services' role only reads it).</summary>
    public const string MigrationsHistoryTable = "__ef_migrations_history";

    private static void ConfigureNpgsql(NpgsqlDbContextOptionsBuilder npgsql, int maxRetryCount)
    {
        npgsql.UseNetTopologySuite();
        npgsql.MigrationsHistoryTable(MigrationsHistoryTable);
        if (maxRetryCount > 0)
        {
            // Transient failures (failover, restart) are retried, at most 5 s apart (EF's default waits up to 30 s).
            npgsql.EnableRetryOnFailure(maxRetryCount, maxRetryDelay: TimeSpan.FromSeconds(5), errorCodesToAdd: null);
        }
    }
}
