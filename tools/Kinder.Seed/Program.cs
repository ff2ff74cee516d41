using System.Diagnostics;
using Kinder.Seed;
using Npgsql;

// Kinder.Seed: fills a Kinder database with benchmark data (users, preferences, events, attendance). See README
// "Benchmarks" and `./kinder seed --help`.
var options = SeedOptions.Parse(args, out var error);
if (options is null)
{
    Console.Error.WriteLine(error);
    Console.Error.WriteLine();
    Console.Error.WriteLine(SeedOptions.Usage);
    return 2;
}
if (options.Help)
{
    Console.WriteLine(SeedOptions.Usage);
    return 0;
}

var builder = new NpgsqlDataSourceBuilder(options.ConnectionString);
Console.WriteLine($"Database {builder.ConnectionStringBuilder.Database} on {builder.ConnectionStringBuilder.Host}:{builder.ConnectionStringBuilder.Port}");
builder.UseNetTopologySuite(geographyAsDefault: true);
await using var dataSource = builder.Build();
var total = Stopwatch.StartNew();
try
{
    await using var connection = await dataSource.OpenConnectionAsync();
    var writer = new SeedWriter(connection);
    if (!await writer.SchemaExistsAsync())
    {
        Console.Error.WriteLine("The database has no Kinder schema: apply the migrations first (the AppHost's migrator does before the services start).");
        return 1;
    }
    var existingUsers = await writer.CountAsync("users");
    var existingEvents = await writer.CountAsync("events");
    if (existingUsers + existingEvents > 0)
    {
        if (!options.Reset)
        {
            Console.Error.WriteLine($"The database is not empty ({existingUsers} users, {existingEvents} events): "
                + "refusing to seed. --reset deletes every user and event first (and what hangs off them).");
            return 1;
        }
        Console.WriteLine($"--reset: deleting {existingUsers} users and {existingEvents} events…");
        await writer.ResetAsync();
    }

    var interests = await writer.InterestsAsync();
    var generator = new SeedGenerator(options, interests);
    var step = Stopwatch.StartNew();
    var data = generator.Generate();
    Console.WriteLine($"Generated {data.Users.Count} users, {data.Preferences.Count} preference rows, "
        + $"{data.Events.Count} events, {data.Attendances.Count} attendance rows in {step.Elapsed.TotalSeconds:0.0}s "
        + $"(seed {options.Seed}, time anchor {data.Anchor:yyyy-MM-dd}).");

    await writer.WriteAsync(data);
    Console.WriteLine($"Done in {total.Elapsed.TotalSeconds:0.0}s. Every seeded user signs in with "
        + $"{SeedGenerator.EmailFor(1)} … {SeedGenerator.EmailFor(options.Users)} and the password \"{options.Password}\".");
    return 0;
}
catch (NpgsqlException exception)
{
    // A PostgresException is the server's answer; any other NpgsqlException is mostly "nobody listens there".
    Console.Error.WriteLine(exception is PostgresException
        ? $"Database error: {exception.Message}"
        : $"Database error: {exception.Message} (is the stack running? {Kinder.Bench.KinderStack.StartHint})");
    return 1;
}
