using System.Diagnostics;
using System.Globalization;
using Kinder.Core;
using Npgsql;

namespace Kinder.Bench.Chat.Compare;

/// <summary>
/// bench/reference-chat as a child process: its npm packages installed when missing, its own database
/// (<see cref="DatabaseName"/>) in the stack's PostgreSQL server, Kinder's JWT key, a free port.
/// </summary>
internal sealed class ReferenceServer : IAsyncDisposable
{
    public const string DatabaseName = "kinder_reference";

    private readonly Process _process;
    private readonly string _connectionString;

    private ReferenceServer(Process process, Uri url, string connectionString)
    {
        _process = process;
        Url = url;
        _connectionString = connectionString;
    }

    public Uri Url { get; }
    public int Pid => _process.Id;

    public static async Task<ReferenceServer> StartAsync(BenchOptions options)
    {
        var directory = Path.Combine(options.Stack.RepositoryRoot, "bench", "reference-chat");
        if (!Directory.Exists(Path.Combine(directory, "node_modules")))
        {
            Console.WriteLine("Installing the reference server's npm packages (npm ci)…");
            await RunAsync("npm", ["ci", "--no-audit", "--no-fund"], directory);
        }

        var database = new NpgsqlConnectionStringBuilder(options.Database) { Database = DatabaseName, Pooling = false };
        await CreateDatabaseAsync(options.Database);
        var port = LocalPorts.Reserve();
        var start = new ProcessStartInfo("node", ["server.js"])
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["PORT"] = port.ToString(CultureInfo.InvariantCulture),
                ["DATABASE_URL"] = $"postgres://{Uri.EscapeDataString(database.Username!)}:{Uri.EscapeDataString(database.Password!)}@" +
                                   $"{database.Host}:{database.Port.ToString(CultureInfo.InvariantCulture)}/{DatabaseName}",
                ["JWT_SIGNING_KEY"] = options.SigningKey,
                ["NODE_ENV"] = "production",
            },
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        process.OutputDataReceived += (_, line) => { if (line.Data is { Length: > 0 }) Console.WriteLine($"  [reference] {line.Data}"); };
        process.ErrorDataReceived += (_, line) => { if (line.Data is { Length: > 0 }) Console.Error.WriteLine($"  [reference] {line.Data}"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new ReferenceServer(process, new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}"), database.ConnectionString);

        // Up once /health answers (the schema is made before it listens).
        using var http = new HttpClient { BaseAddress = server.Url, Timeout = TimeSpan.FromSeconds(2) };
        for (var clock = Stopwatch.StartNew(); ; await Task.Delay(200))
        {
            if (process.HasExited) throw new InvalidOperationException($"The reference server exited with code {process.ExitCode}.");
            try
            {
                if ((await http.GetAsync("/health")).IsSuccessStatusCode) return server;
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && clock.Elapsed < TimeSpan.FromSeconds(60))
            {
                // Not listening yet.
            }
        }
    }

    /// <summary>The world Kinder has (same user and conversation ids, same members), in place of the last run's.</summary>
    public async Task LoadWorldAsync(IReadOnlyList<BenchClient> clients)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using (var truncate = new NpgsqlCommand("TRUNCATE messages, room_members, rooms, users", connection))
            await truncate.ExecuteNonQueryAsync();

        await using (var users = await connection.BeginBinaryImportAsync("COPY users (id, email, display_name) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var client in clients)
                await users.WriteRowAsync(default, client.User.Id, client.User.Email, client.User.DisplayName);
            await users.CompleteAsync();
        }
        var memberships = clients.SelectMany(client => client.Conversations.Select(conversation => (conversation.ConversationId, client.User.Id))).ToList();
        await using (var rooms = await connection.BeginBinaryImportAsync("COPY rooms (id, title) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var room in memberships.Select(membership => membership.ConversationId).Distinct())
                await rooms.WriteRowAsync(default, room, "Bench room");
            await rooms.CompleteAsync();
        }
        await using (var members = await connection.BeginBinaryImportAsync("COPY room_members (room_id, user_id) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var (room, user) in memberships)
                await members.WriteRowAsync(default, room, user);
            await members.CompleteAsync();
        }
        await using var analyze = new NpgsqlCommand("ANALYZE", connection);
        await analyze.ExecuteNonQueryAsync();
    }

    private static async Task CreateDatabaseAsync(string stackDatabase)
    {
        var server = new NpgsqlConnectionStringBuilder(stackDatabase) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync();
        await using var exists = new NpgsqlCommand($"SELECT 1 FROM pg_database WHERE datname = '{DatabaseName}'", connection);
        if (await exists.ExecuteScalarAsync() is null)
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE {DatabaseName}", connection);
            await create.ExecuteNonQueryAsync();
        }
    }

    private static async Task RunAsync(string command, string[] arguments, string directory)
    {
        using var process = Process.Start(new ProcessStartInfo(command, arguments) { WorkingDirectory = directory })
                            ?? throw new InvalidOperationException($"{command} did not start.");
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{command} {string.Join(' ', arguments)} failed ({process.ExitCode}).");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
