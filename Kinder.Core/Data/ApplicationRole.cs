using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Kinder.Core.Data;

/// <summary>
/// The database login the services use (docs/decisions/0012): it reads and writes rows and owns nothing, so it cannot
/// change the schema, drop or disable the audit log's append-only trigger, or skip triggers (only a superuser may set
/// <c>session_replication_role</c>); on <c>audit_logs</c> it may only read and insert. The migrator, connected as the
/// owner, creates it and grants on every run, so the tables a new migration adds are covered.
/// </summary>
public static partial class ApplicationRole
{
    /// <summary>Configuration the migrator reads: the role's name (none: nothing is created or granted) and password.</summary>
    public const string NameKey = "Database:ApplicationRole";
    public const string PasswordKey = "Database:ApplicationRolePassword";

    public const string DefaultName = "kinder_app";

    /// <summary>Rows the services never change once written; the migrations' history is the migrator's.</summary>
    private static readonly string[] ReadAndInsertOnly = ["audit_logs"];
    private static readonly string[] ReadOnly = [KinderDbContextOptions.MigrationsHistoryTable];

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex RoleName();

    /// <summary>
    /// Creates <paramref name="role"/> if it is missing (a login without any other attribute), sets its password when
    /// one is given, and grants it rows in the current database. Idempotent; refuses a superuser or the caller itself.
    /// </summary>
    public static async Task EnsureAsync(NpgsqlConnection owner, string role, string? password, ILogger logger,
        CancellationToken cancellationToken = default)
    {
        if (!RoleName().IsMatch(role))
            throw new ArgumentException($"'{role}' is not a plain role name (lower-case letters, digits, _).", nameof(role));

        // A role is the cluster's, not the database's: migrate steps of two databases on one server may create or
        // alter it at the same moment, and the one that loses the race tries again.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await EnsureOnceAsync(owner, role, password, cancellationToken);
                break;
            }
            catch (PostgresException exception) when (attempt < 5 && exception.SqlState is
                PostgresErrorCodes.InternalError /* tuple concurrently updated */ or PostgresErrorCodes.UniqueViolation
                or PostgresErrorCodes.DuplicateObject or PostgresErrorCodes.DeadlockDetected)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50 * attempt), cancellationToken);
                // Npgsql closes the connection on an internal error (class XX).
                if (owner.State != System.Data.ConnectionState.Open)
                    await owner.OpenAsync(cancellationToken);
            }
        }
        logger.LogInformation("Database role {Role} may read and write rows of {Database}, and only read and insert {ReadAndInsertOnly}",
            role, owner.Database, string.Join(", ", ReadAndInsertOnly));
    }

    private static async Task EnsureOnceAsync(NpgsqlConnection owner, string role, string? password,
        CancellationToken cancellationToken)
    {
        await using var transaction = await owner.BeginTransactionAsync(cancellationToken);
        await using (var check = new NpgsqlCommand(
                         "SELECT rolsuper OR rolname = current_user FROM pg_roles WHERE rolname = @role", owner, transaction))
        {
            check.Parameters.AddWithValue("role", role);
            if (await check.ExecuteScalarAsync(cancellationToken) is true)
                throw new InvalidOperationException(
                    $"The application role '{role}' is a superuser or the migrator's own login: the services must connect as a role that owns nothing.");
        }

        // The password goes in as a bound setting, never into the statement's text.
        await using (var command = new NpgsqlCommand(
                         "SELECT set_config('kinder.application_role', @role, true), set_config('kinder.application_password', @password, true)",
                         owner, transaction))
        {
            command.Parameters.AddWithValue("role", role);
            command.Parameters.AddWithValue("password", password ?? "");
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        var quoted = $"\"{role}\"";
        var statements = new List<string>
        {
            $"""
             DO $$ BEGIN
                 IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = current_setting('kinder.application_role')) THEN
                     CREATE ROLE {quoted} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
                 END IF;
                 IF current_setting('kinder.application_password') <> '' THEN
                     EXECUTE format('ALTER ROLE %I PASSWORD %L', current_setting('kinder.application_role'),
                         current_setting('kinder.application_password'));
                 END IF;
                 EXECUTE format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO %I', current_database(),
                     current_setting('kinder.application_role'));
             END $$
             """,
            $"GRANT USAGE ON SCHEMA public TO {quoted}",
            $"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {quoted}",
            $"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {quoted}",
        };
        statements.AddRange(ReadAndInsertOnly.Select(table =>
            $"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON \"{table}\" FROM {quoted}"));
        statements.AddRange(ReadOnly.Select(table =>
            $"REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON \"{table}\" FROM {quoted}"));

        foreach (var statement in statements)
        {
            await using var command = new NpgsqlCommand(statement, owner, transaction);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }
}
