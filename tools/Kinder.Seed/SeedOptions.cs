using System.Globalization;
using Kinder.Bench;

namespace Kinder.Seed;

public sealed record SeedOptions(string ConnectionString, int Users, int Events, int Seed, bool Reset, string Password,
    bool Help)
{
    /// <summary>The development password every seeded user has (benchmarks sign in with it).</summary>
    public const string DefaultPassword = "kinder-bench-1";

    public const string Usage = """
        Usage: Kinder.Seed [--connection CS] [--users N] [--events N] [--seed N] [--reset] [--password P]

          --connection CS  Npgsql connection string, also --db (default: $ConnectionStrings__kinderdb, else the
                           database of the stack the AppHost runs from this checkout)
          --users N        users to create (default 10000)
          --events N       events to create (default 100000)
          --seed N         random seed (default 42): the same seed on the same UTC day gives the same data
          --reset          delete every user and event first (with their attendance, preferences, tokens…);
                           without it, a database that already has users or events is refused
          --password P     the one password every seeded user gets (default kinder-bench-1)
        """ + KinderStack.Usage;

    public static SeedOptions? Parse(string[] args, out string error)
    {
        error = "";
        KinderStack stack;
        try
        {
            stack = KinderStack.Read(args, out args);
        }
        catch (ArgumentException exception)
        {
            error = exception.Message;
            return null;
        }
        var connection = Environment.GetEnvironmentVariable("ConnectionStrings__kinderdb");
        int users = 10_000, events = 100_000, seed = 42;
        var reset = false;
        var password = DefaultPassword;
        for (var i = 0; i < args.Length; i++)
        {
            string Next()
            {
                if (i + 1 >= args.Length)
                {
                    throw new ArgumentException($"{args[i]} needs a value");
                }
                return args[++i];
            }
            try
            {
                switch (args[i])
                {
                    case "--connection" or "--db": connection = Next(); break;
                    case "--users": users = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                    case "--events": events = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                    case "--seed": seed = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                    case "--password": password = Next(); break;
                    case "--reset": reset = true; break;
                    case "-h" or "--help": return new SeedOptions("", 0, 0, 0, false, "", Help: true);
                    default:
                        error = $"Unknown argument: {args[i]}";
                        return null;
                }
            }
            catch (Exception exception) when (exception is ArgumentException or FormatException or OverflowException)
            {
                error = exception.Message;
                return null;
            }
        }
        if (string.IsNullOrWhiteSpace(connection))
        {
            try
            {
                connection = stack.DatabaseConnectionString(out var stackError);
                if (connection is null)
                {
                    error = $"{stackError} Or give --connection.";
                    return null;
                }
            }
            catch (ArgumentException exception)
            {
                error = exception.Message;
                return null;
            }
        }
        if (users < 10 || events < 0 || password.Length < 8)
        {
            error = "Give at least 10 users, 0 or more events, and a password of at least 8 characters.";
            return null;
        }
        return new SeedOptions(connection, users, events, seed, reset, password, Help: false);
    }
}
