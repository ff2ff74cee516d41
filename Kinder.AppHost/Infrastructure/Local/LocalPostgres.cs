using System.Security.Cryptography;
using Kinder.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Kinder.AppHost.Infrastructure.Local;

/// <summary>
/// PostgreSQL 15 + PostGIS from Debian's packages, as the <c>postgres</c> OS user, its cluster under
/// <c>.kinder/postgres</c> (created by initdb on the first start, kept across restarts) next to the password it was
/// made with. The database is created once the server is healthy, as Aspire does for its container.
/// </summary>
internal static class LocalPostgres
{
    private const string Version = "15";
    private const string InstallHint = $"apt-get install postgresql-{Version} postgresql-{Version}-postgis-3 (./kinder run installs it)";
    private static readonly string BinDirectory = $"/usr/lib/postgresql/{Version}/bin";

    public static IResourceBuilder<LocalPostgresDatabaseResource> Add(IDistributedApplicationBuilder builder, KinderSettings settings)
    {
        var baseDirectory = BaseDirectory(settings);
        var dataDirectory = Path.Combine(baseDirectory, "data");
        var socketDirectory = SocketDirectory(baseDirectory);
        var port = settings.Ports.Postgres;

        var password = builder.AddParameter($"{KinderResources.Postgres}-password", Password(baseDirectory), secret: true);
        var command = LocalCommand.Find(Path.Combine(BinDirectory, "postgres"), InstallHint).AsPostgresUserWhenRoot();
        var initdb = LocalCommand.Find(Path.Combine(BinDirectory, "initdb"), InstallHint).AsPostgresUserWhenRoot();
        var server = new LocalPostgresServerResource(KinderResources.Postgres, command.Program, baseDirectory, password.Resource);

        var serverBuilder = command.FailsWhenMissing(initdb.FailsWhenMissing(builder.AddResource(server)))
            .WithArgs(command.With(
                "-D", dataDirectory, "-c", "listen_addresses=localhost", "-c", $"port={port}",
                "-c", $"unix_socket_directories={socketDirectory}", "-c", "logging_collector=off",
                // Three services each pool up to 100 connections (Npgsql's default), plus seed and benchmark tools.
                "-c", "max_connections=400").ToArray())
            .WithEndpoint(port: port, targetPort: port, name: EndpointNames.Tcp, isProxied: false)
            .WithIconName("DatabaseMultiple")
            .WithHealthCheck(AddHealthCheck(builder, server, database: "postgres"));

        builder.Eventing.Subscribe<BeforeResourceStartedEvent>(server, async (@event, cancellationToken) =>
        {
            var logger = @event.Services.GetRequiredService<ResourceLoggerService>().GetLogger(server);
            await InitializeClusterAsync(logger, initdb, baseDirectory, dataDirectory, socketDirectory, cancellationToken);
        });
        var database = new LocalPostgresDatabaseResource(KinderResources.Database, KinderResources.Database, server);
        server.Databases[database.Name] = database.DatabaseName;
        // Aspire passes a container's state on to its databases, not an executable's: the database is Running once
        // it exists, and ends when the server ends, so that nothing waits for a database whose server is gone.
        builder.Eventing.Subscribe<ResourceReadyEvent>(server, async (@event, cancellationToken) =>
        {
            await CreateDatabasesAsync(server, cancellationToken);
            await @event.Services.GetRequiredService<ResourceNotificationService>().PublishUpdateAsync(database, snapshot =>
                snapshot with { State = KnownResourceStates.Running, StartTimeStamp = DateTime.UtcNow });
        });
        builder.Eventing.Subscribe<BeforeStartEvent>((@event, cancellationToken) =>
        {
            var notifications = @event.Services.GetRequiredService<ResourceNotificationService>();
            var stopping = @event.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
            _ = EndWithServerAsync(notifications, server, database, stopping);
            return Task.CompletedTask;
        });
        return builder.AddResource(database)
            .WithHealthCheck(AddHealthCheck(builder, database, database: null));
    }

    private static string AddHealthCheck(IDistributedApplicationBuilder builder, IResourceWithConnectionString resource, string? database)
    {
        string? connectionString = null;
        builder.Eventing.Subscribe<ConnectionStringAvailableEvent>(resource, async (_, cancellationToken) =>
            connectionString = await resource.ConnectionStringExpression.GetValueAsync(cancellationToken));
        var key = $"{resource.Name}_check";
        builder.Services.AddHealthChecks().AddNpgSql(
            _ => (connectionString ?? throw new InvalidOperationException("The connection string is not known yet.")) +
                (database is null ? "" : $";Database={database}"),
            name: key);
        return key;
    }

    private static async Task InitializeClusterAsync(ILogger logger, LocalCommand initdb, string baseDirectory,
        string dataDirectory, string socketDirectory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(socketDirectory);
        if (Environment.UserName == "root")
        {
            // The server's own directories and the password file initdb reads.
            await ProcessRunner.RunAsync(logger, LocalCommand.Find("chown", "apt-get install coreutils"),
                ["postgres:postgres", baseDirectory, socketDirectory, PasswordFile(baseDirectory)], cancellationToken);
        }

        var versionFile = Path.Combine(dataDirectory, "PG_VERSION");
        if (File.Exists(versionFile))
        {
            var version = (await File.ReadAllTextAsync(versionFile, cancellationToken)).Trim();
            if (version != Version)
            {
                throw new InvalidOperationException(
                    $"{dataDirectory} was made by PostgreSQL {version}; Kinder runs {Version}. Move it away to start afresh.");
            }
            return;
        }

        logger.LogInformation("Creating a PostgreSQL {Version} cluster in {DataDirectory} (first start).", Version, dataDirectory);
        await ProcessRunner.RunAsync(logger, initdb,
        [
            "-D", dataDirectory, "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8",
            "--auth-local=peer", "--auth-host=scram-sha-256", $"--pwfile={PasswordFile(baseDirectory)}",
        ], cancellationToken);
    }

    private static async Task EndWithServerAsync(ResourceNotificationService notifications, IResource server,
        IResource database, CancellationToken stopping)
    {
        try
        {
            await foreach (var resourceEvent in notifications.WatchAsync(stopping))
            {
                if (resourceEvent.Resource != server || resourceEvent.Snapshot.State?.Text is not { } state ||
                    !KnownResourceStates.TerminalStates.Contains(state))
                    continue;
                await notifications.PublishUpdateAsync(database, snapshot =>
                    snapshot with { State = state, StopTimeStamp = DateTime.UtcNow });
            }
        }
        catch (OperationCanceledException)
        {
            // The AppHost is stopping.
        }
    }

    private static async Task CreateDatabasesAsync(LocalPostgresServerResource server, CancellationToken cancellationToken)
    {
        var connectionString = await server.ConnectionStringExpression.GetValueAsync(cancellationToken);
        await using var connection = new NpgsqlConnection(connectionString + ";Database=postgres");
        await connection.OpenAsync(cancellationToken);
        foreach (var databaseName in server.Databases.Values)
        {
            await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
            exists.Parameters.AddWithValue("name", databaseName);
            if (await exists.ExecuteScalarAsync(cancellationToken) is not null)
                continue;
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{databaseName.Replace("\"", "\"\"")}\"", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>
    /// The password the cluster was made with, kept beside it (the directory is the server's own, mode 0700):
    /// made on the first start, read on every later one.
    /// </summary>
    private static string Password(string baseDirectory)
    {
        var file = PasswordFile(baseDirectory);
        if (File.Exists(file))
            return File.ReadAllText(file).Trim();
        if (File.Exists(Path.Combine(baseDirectory, "data", "PG_VERSION")))
        {
            throw new InvalidOperationException(
                $"{file} is missing, so the password of the cluster in {baseDirectory}/data is unknown. Move that directory away to start afresh.");
        }
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
        File.WriteAllText(file, password + "\n");
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return password;
    }

    private static string PasswordFile(string baseDirectory) => Path.Combine(baseDirectory, "password");

    /// <summary>
    /// <c>.kinder/postgres</c>, unless the postgres user cannot reach it (a clone under /root, say): then
    /// <c>/var/lib/kinder/&lt;hash of the path&gt;/postgres</c>.
    /// </summary>
    private static string BaseDirectory(KinderSettings settings)
    {
        var preferred = Path.Combine(settings.StateDirectory, "postgres");
        var directory = Environment.UserName != "root" || OthersCanTraverse(settings.StateDirectory)
            ? preferred
            : Path.Combine("/var/lib/kinder", Hash(settings.StateDirectory), "postgres");
        Directory.CreateDirectory(directory);
        if (Environment.UserName != "root" && !OperatingSystem.IsWindows())
            File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return directory;
    }

    private static bool OthersCanTraverse(string path)
    {
        for (var directory = new DirectoryInfo(path); directory is not null; directory = directory.Parent)
        {
            if (directory.Exists && !directory.UnixFileMode.HasFlag(UnixFileMode.OtherExecute))
                return false;
        }
        return true;
    }

    /// <summary>A Unix socket path has at most 107 bytes, with ".s.PGSQL.&lt;port&gt;" after the directory.</summary>
    private static string SocketDirectory(string baseDirectory)
    {
        var directory = Path.Combine(baseDirectory, "run");
        return directory.Length <= 80 ? directory : Path.Combine("/tmp", $"kinder-pg-{Hash(baseDirectory)}");
    }

    private static string Hash(string text) =>
        Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)))[..12].ToLowerInvariant();
}
