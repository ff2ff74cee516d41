using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Kinder.Core;

namespace Kinder.Bench;

/// <summary>
/// The stack that <c>dotnet run --project Kinder.AppHost</c> runs from this checkout (local infrastructure), found where
/// the AppHost keeps it: its ports (section <c>Kinder:Ports</c>, defaults Kinder.Core's DefaultPorts), the
/// PostgreSQL password beside the cluster (LocalPostgres) and the JWT signing key in the AppHost's user secrets.
/// Linked into Kinder.Seed, Kinder.Bench.Events and Kinder.Bench.Chat; each tool's own flags (--api, --db…) win.
/// Settings are read as the AppHost reads them, highest first: arguments <c>--Kinder:Ports:Api=6080</c> (or
/// <c>--Kinder:Ports:Api 6080</c>), environment <c>Kinder__Ports__Api=6080</c>, the AppHost's user secrets, its
/// appsettings.json.
/// </summary>
public sealed class KinderStack
{
    public const string Usage = """

        The stack (dotnet run --project Kinder.AppHost, local infrastructure) is found by itself; if the AppHost runs with
        other ports, give the tool the same settings: --Kinder:Ports:Api=6080 --Kinder:Ports:Realtime=6081
        --Kinder:Ports:Postgres=56432 … (or environment Kinder__Ports__Api=6080 …; also Kinder:StateDirectory).
        The PostgreSQL password is read from .kinder/postgres/password (or /var/lib/kinder/<hash>/postgres/password),
        the JWT signing key from the AppHost's user secrets (Parameters:jwt-signing-key) or Parameters__jwt-signing-key.
        """;

    private const string AppHostProject = "Kinder.AppHost/Kinder.AppHost.csproj";
    private const string DefaultUserSecretsId = "74929067-c906-43cc-b6b1-1990c0299bdb";
    public const string StartHint = "start it with: dotnet run --project Kinder.AppHost --launch-profile http";

    private readonly Dictionary<string, string> _settings;

    private KinderStack(string repositoryRoot, Dictionary<string, string> settings)
    {
        RepositoryRoot = repositoryRoot;
        _settings = settings;
        StateDirectory = Setting("Kinder:StateDirectory") is { Length: > 0 } state
            ? Path.GetFullPath(state, repositoryRoot)
            : Path.Combine(repositoryRoot, ".kinder");
    }

    /// <summary>The checkout these binaries were built in (the directory holding Kinder.AppHost/).</summary>
    public string RepositoryRoot { get; }

    public string StateDirectory { get; }

    public int ApiPort => Port("Api", DefaultPorts.Api);
    public int RealtimePort => Port("Realtime", DefaultPorts.Realtime);
    public int PostgresPort => Port("Postgres", DefaultPorts.Postgres);
    public int RedisPort => Port("Redis", DefaultPorts.Redis);
    public int KafkaPort => Port("Kafka", DefaultPorts.Kafka);

    public Uri Api => new($"http://localhost:{ApiPort.ToString(CultureInfo.InvariantCulture)}");

    /// <summary>Aspire's proxy in front of every Realtime replica.</summary>
    public Uri Realtime => new($"http://localhost:{RealtimePort.ToString(CultureInfo.InvariantCulture)}");

    /// <summary>Reads the settings and returns <paramref name="args"/> without the <c>--Kinder:…</c> ones.</summary>
    public static KinderStack Read(string[] args, out string[] remaining)
    {
        var root = FindRepositoryRoot();
        var settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var userSecrets = UserSecretsFile(root);
        foreach (var file in new[] { Path.Combine(root, "Kinder.AppHost", "appsettings.json"), userSecrets })
        {
            if (File.Exists(file))
                Flatten(JsonDocument.Parse(File.ReadAllText(file)).RootElement, "", settings);
        }
        foreach (var (key, value) in Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
                     .Select(entry => ((string)entry.Key, entry.Value as string ?? "")))
        {
            if (key.StartsWith("Kinder__", StringComparison.OrdinalIgnoreCase) ||
                key.StartsWith("Parameters__", StringComparison.OrdinalIgnoreCase))
            {
                settings[key.Replace("__", ":", StringComparison.Ordinal)] = value;
            }
        }

        var rest = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--Kinder:", StringComparison.OrdinalIgnoreCase) &&
                !arg.StartsWith("--Parameters:", StringComparison.OrdinalIgnoreCase))
            {
                rest.Add(arg);
                continue;
            }
            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
                settings[arg[2..equals]] = arg[(equals + 1)..];
            else if (i + 1 < args.Length)
                settings[arg[2..]] = args[++i];
            else
                throw new ArgumentException($"{arg} needs a value.");
        }
        remaining = [.. rest];
        return new KinderStack(root, settings);
    }

    /// <summary>The Npgsql connection string of the stack's database, or null with why in <paramref name="error"/>.</summary>
    public string? DatabaseConnectionString(out string error)
    {
        error = "";
        var password = File.Exists(PostgresPasswordFile) ? File.ReadAllText(PostgresPasswordFile).Trim()
            : Setting("Parameters:postgres-password"); // container infrastructure: Aspire's generated parameter
        if (string.IsNullOrEmpty(password))
        {
            error = $"The stack's PostgreSQL password is unknown: no {Path.Combine(PostgresBaseDirectories[0], "password")} " +
                    $"nor {Path.Combine(PostgresBaseDirectories[1], "password")} (has the AppHost run in this checkout? {StartHint}).";
            return null;
        }
        return $"Host=localhost;Port={PostgresPort.ToString(CultureInfo.InvariantCulture)};Username=postgres;" +
               $"Password={password};Database=kinderdb";
    }

    /// <summary>The AppHost's <c>jwt-signing-key</c> parameter, or null with why in <paramref name="error"/>.</summary>
    public string? JwtSigningKey(out string error)
    {
        error = "";
        if (Setting("Parameters:jwt-signing-key") is { Length: > 0 } key)
            return key;
        error = $"The stack's JWT signing key is unknown: no Parameters:jwt-signing-key in {UserSecretsFile(RepositoryRoot)} " +
                $"nor Parameters__jwt-signing-key in the environment (the AppHost makes it on its first run; {StartHint}).";
        return null;
    }

    /// <summary>
    /// Where LocalPostgres keeps the cluster: <c>.kinder/postgres</c>, or <c>/var/lib/kinder/&lt;hash&gt;/postgres</c> when
    /// the postgres user cannot reach the checkout. The first that holds a cluster, else the first.
    /// </summary>
    public string PostgresBaseDirectory =>
        PostgresBaseDirectories.FirstOrDefault(directory => File.Exists(Path.Combine(directory, "password")))
        ?? PostgresBaseDirectories[0];

    public string PostgresDataDirectory => Path.Combine(PostgresBaseDirectory, "data");

    private string PostgresPasswordFile => Path.Combine(PostgresBaseDirectory, "password");

    private string[] PostgresBaseDirectories =>
    [
        Path.Combine(StateDirectory, "postgres"),
        Path.Combine("/var/lib/kinder", Hash(RepositoryRoot), "postgres"),
    ];

    private string? Setting(string key) => _settings.TryGetValue(key, out var value) ? value : null;

    private int Port(string name, int fallback)
    {
        if (Setting($"Kinder:Ports:{name}") is not { Length: > 0 } value)
            return fallback;
        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535
            ? port
            : throw new ArgumentException($"Kinder:Ports:{name} is \"{value}\": give the port the stack listens on " +
                                          "(a port of 0, picked when the AppHost starts, cannot be guessed from here).");
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, AppHostProject)))
                return directory.FullName;
        }
        return Directory.GetCurrentDirectory();
    }

    private static string UserSecretsFile(string root)
    {
        var project = Path.Combine(root, AppHostProject);
        var id = File.Exists(project) && Regex.Match(File.ReadAllText(project), "<UserSecretsId>([^<]+)</UserSecretsId>") is { Success: true } match
            ? match.Groups[1].Value.Trim()
            : DefaultUserSecretsId;
        return OperatingSystem.IsWindows()
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData), "Microsoft", "UserSecrets", id, "secrets.json")
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".microsoft", "usersecrets", id, "secrets.json");
    }

    /// <summary>JSON as configuration keys: {"Parameters": {"a": "x"}} and {"Parameters:a": "x"} both give Parameters:a.</summary>
    private static void Flatten(JsonElement element, string prefix, Dictionary<string, string> into)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
                Flatten(property.Value, prefix.Length == 0 ? property.Name : $"{prefix}:{property.Name}", into);
        }
        else if (element.ValueKind != JsonValueKind.Array && prefix.Length > 0)
        {
            into[prefix] = element.ValueKind == JsonValueKind.String ? element.GetString()! : element.GetRawText();
        }
    }

    /// <summary>As LocalPostgres names directories outside the checkout.</summary>
    private static string Hash(string text) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..12].ToLowerInvariant();
}
