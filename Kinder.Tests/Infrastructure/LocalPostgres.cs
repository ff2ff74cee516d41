using System.Security.Cryptography;
using Npgsql;

namespace Kinder.Tests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL 15 + PostGIS cluster for this test process, in the run's directory. Run as the postgres OS
/// user when we are root, which PostgreSQL refuses to run as.
/// </summary>
public static class LocalPostgres
{
    private const string Install =
        "apt-get install postgresql-15 postgresql-15-postgis-3 (./kinder test installs it), or set KINDER_TEST_POSTGRES to a server of your own";

    /// <summary>Starts the cluster; returns the superuser's connection string to its postgres database.</summary>
    public static string Start()
    {
        var binaries = Environment.GetEnvironmentVariable("KINDER_PG_BINDIR") ?? "/usr/lib/postgresql/15/bin";
        if (!File.Exists(Path.Combine(binaries, "postgres")))
        {
            throw new InvalidOperationException($"PostgreSQL 15 is not installed (no {binaries}/postgres): {Install}");
        }
        var user = LocalServers.IsRoot ? "postgres" : null;
        var data = Path.Combine(LocalServers.Directory, "postgres", "data");
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        Initialize(binaries, data, user, password);

        var connectionString = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1", Username = "postgres", Password = password, Database = "postgres",
        };
        connectionString.Port = LocalServerProcess.Start("PostgreSQL", user, LocalServerProcess.Signal.Interrupt,
            Path.Combine(binaries, "postgres"),
            port =>
            [
                "-D", data, "-c", "listen_addresses=127.0.0.1", "-c", $"port={port}", "-c", "unix_socket_directories=",
                // Durability is pointless for a throwaway cluster: traded for speed. Parallel test classes each open
                // pools, hence the connection limit.
                "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=300",
            ],
            port => Answers(new NpgsqlConnectionStringBuilder(connectionString.ConnectionString) { Port = port }));
        RequirePostGis(connectionString.ConnectionString);
        return connectionString.ConnectionString;
    }

    private static void Initialize(string binaries, string data, string? user, string password)
    {
        var directory = Path.GetDirectoryName(data)!;
        string[] owner = user is null ? [] : ["-o", user, "-g", user];
        LocalServers.Run(null, "/usr/bin/install", ["-d", "-m", "0700", .. owner, directory]);
        // Readable by the postgres user, but inside its own 0700 directory.
        var passwordFile = Path.Combine(directory, "password");
        File.WriteAllText(passwordFile, password);
        LocalServers.Run(user, Path.Combine(binaries, "initdb"), "-D", data, "-U", "postgres", "-E", "UTF8",
            "--locale=C.UTF-8", "--auth=scram-sha-256", $"--pwfile={passwordFile}", "--no-sync");
        File.Delete(passwordFile);
    }

    private static bool Answers(NpgsqlConnectionStringBuilder connectionString)
    {
        connectionString.Pooling = false;
        connectionString.Timeout = 2;
        try
        {
            using var connection = new NpgsqlConnection(connectionString.ConnectionString);
            connection.Open();
            return true;
        }
        catch (NpgsqlException)
        {
            return false; // not listening yet, or still starting up
        }
    }

    private static void RequirePostGis(string connectionString)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new NpgsqlCommand("SELECT count(*) FROM pg_available_extensions WHERE name = 'postgis'", connection);
        if ((long)command.ExecuteScalar()! == 0)
        {
            throw new InvalidOperationException($"PostGIS is not installed for PostgreSQL 15: {Install}");
        }
    }
}
