using Kinder.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Kinder.Tests.Infrastructure;

/// <summary>
/// Databases for tests on the one shared PostgreSQL server: migrations run once per test run into a template,
/// and each fixture gets its own copy (<c>CREATE DATABASE … TEMPLATE</c>, tens of milliseconds), so test
/// classes run in parallel without seeing each other's rows.
/// </summary>
public static class TestDatabases
{
    private const string TemplateName = "kinder_template";
    private static readonly SemaphoreSlim TemplateLock = new(1, 1);
    private static bool _templateReady;

    public static async Task<string> CreateAsync(string prefix)
    {
        await EnsureTemplateAsync();
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 33, 63)].ToLowerInvariant();
        await ExecuteAdminAsync($"CREATE DATABASE \"{name}\" TEMPLATE {TemplateName}");
        return ConnectionString(name);
    }

    public static async Task DropAsync(string connectionString)
    {
        if (string.IsNullOrEmpty(connectionString))
        {
            return; // the fixture never got a database
        }
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        NpgsqlConnection.ClearAllPools();
        await ExecuteAdminAsync($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
    }

    public static string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder(TestServers.PostgresAdmin) { Database = database }.ConnectionString;

    /// <summary>
    /// What a host under test connects with: the same database as the services' own role, as the AppHost's services do
    /// (<see cref="ApplicationRole"/>). Tests arrange and check data through the owner's string.
    /// </summary>
    public static string AsApplicationRole(string connectionString) => string.IsNullOrEmpty(connectionString)
        ? connectionString
        : new NpgsqlConnectionStringBuilder(connectionString)
        {
            Username = ApplicationRole.DefaultName,
            Password = TestServers.ApplicationRolePassword,
        }.ConnectionString;

    /// <summary>A context for arranging and checking data directly; no retries, so tests may open transactions.</summary>
    public static KinderDbContext CreateContext(string connectionString)
    {
        var options = new DbContextOptionsBuilder<KinderDbContext>();
        KinderDbContextOptions.Configure(options, connectionString, maxRetryCount: 0);
        return new KinderDbContext(options.Options);
    }

    private static async Task EnsureTemplateAsync()
    {
        if (_templateReady)
        {
            return;
        }
        await TemplateLock.WaitAsync();
        try
        {
            if (_templateReady)
            {
                return;
            }
            // A template left by an earlier run may hold an older schema: build it afresh once per run.
            await ExecuteAdminAsync($"DROP DATABASE IF EXISTS {TemplateName} WITH (FORCE)");
            // No pooling: a template cannot be copied while any connection to it is open.
            var template = new NpgsqlConnectionStringBuilder(ConnectionString(TemplateName)) { Pooling = false };
            await using (var db = CreateContext(template.ConnectionString))
            {
                await DatabaseMigrator.MigrateAsync(db, NullLogger.Instance);
                // As the migrate step does: the role the hosts connect as, granted rows here (copies inherit the grants).
                await db.Database.OpenConnectionAsync();
                await ApplicationRole.EnsureAsync((NpgsqlConnection)db.Database.GetDbConnection(), ApplicationRole.DefaultName,
                    TestServers.ApplicationRolePassword, NullLogger.Instance);
            }
            _templateReady = true;
        }
        finally
        {
            TemplateLock.Release();
        }
    }

    private static async Task ExecuteAdminAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(TestServers.PostgresAdmin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
