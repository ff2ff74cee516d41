using Kinder.Core.Data;
using Kinder.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Kinder.Tests.Data;

/// <summary>The services' database role as the migrate step leaves it (ApplicationRole).</summary>
public sealed class ApplicationRoleTests : IAsyncLifetime
{
    private string _database = "";

    public async Task InitializeAsync() => _database = await TestDatabases.CreateAsync("approle");

    public Task DisposeAsync() => TestDatabases.DropAsync(_database);

    [Fact]
    public async Task A_table_a_later_migration_adds_is_granted_on_the_next_migrate_and_the_role_owns_nothing()
    {
        await using (var owner = await OpenAsync(_database))
        {
            await ExecuteAsync(owner, "CREATE TABLE later_feature (id int PRIMARY KEY, note text)");
            // Twice, as every migrate step does: idempotent.
            await ApplicationRole.EnsureAsync(owner, ApplicationRole.DefaultName, TestServers.ApplicationRolePassword, NullLogger.Instance);
            await ApplicationRole.EnsureAsync(owner, ApplicationRole.DefaultName, TestServers.ApplicationRolePassword, NullLogger.Instance);
        }

        await using var app = await OpenAsync(TestDatabases.AsApplicationRole(_database));
        await ExecuteAsync(app, "INSERT INTO later_feature VALUES (1, 'a'); UPDATE later_feature SET note = 'b'; DELETE FROM later_feature");
        foreach (var statement in new[] { "CREATE TABLE mine (id int)", "ALTER TABLE later_feature ADD COLUMN x int",
                     "TRUNCATE later_feature", $"INSERT INTO {KinderDbContextOptions.MigrationsHistoryTable} VALUES ('x', 'y')" })
        {
            var refused = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(app, statement));
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        }
        await using var owns = new NpgsqlCommand(
            "SELECT count(*) FROM pg_class WHERE relowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)", app);
        Assert.Equal(0L, await owns.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Migrate_steps_of_several_databases_at_once_all_end_with_the_role_granted()
    {
        var databases = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => TestDatabases.CreateAsync("approle")));
        try
        {
            await Task.WhenAll(databases.Select(async database =>
            {
                await using var owner = await OpenAsync(database);
                await ApplicationRole.EnsureAsync(owner, ApplicationRole.DefaultName, TestServers.ApplicationRolePassword,
                    NullLogger.Instance);
            }));
            foreach (var database in databases)
            {
                await using var app = await OpenAsync(TestDatabases.AsApplicationRole(database));
                await using var count = new NpgsqlCommand("SELECT count(*) FROM users", app);
                Assert.Equal(0L, await count.ExecuteScalarAsync());
            }
        }
        finally
        {
            foreach (var database in databases)
                await TestDatabases.DropAsync(database);
        }
    }

    [Fact]
    public async Task A_superuser_or_the_migrators_own_login_is_refused_as_the_application_role()
    {
        await using var owner = await OpenAsync(_database);
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            ApplicationRole.EnsureAsync(owner, new NpgsqlConnectionStringBuilder(_database).Username!, null, NullLogger.Instance));
        Assert.Contains("owns nothing", refused.Message);
        await Assert.ThrowsAsync<ArgumentException>(() =>
            ApplicationRole.EnsureAsync(owner, "x\"; DROP ROLE postgres; --", null, NullLogger.Instance));
    }

    private static async Task<NpgsqlConnection> OpenAsync(string connectionString)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
