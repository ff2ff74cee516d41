using Kinder.Core.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Kinder.Workers.Migrations;

/// <summary>
/// The one-shot migration step that the AppHost runs before the services start: connected as the database's owner,
/// it applies the migrations and then, when <c>Database:ApplicationRole</c> is set, creates that role and grants it the
/// rows the services work on (<see cref="ApplicationRole"/>); the services connect as it.
/// </summary>
public static class MigrateCommand
{
    public const string Name = "migrate";

    public static async Task<int> RunAsync(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        builder.AddServiceDefaults();
        builder.AddKinderDbContext();
        // On a fresh database EF probes the history table before creating it and logs that expected failure as an
        // error; a real failure still surfaces below as the exception that ends the step.
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore.Database.Command", LogLevel.None);
        using var host = builder.Build();

        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Kinder.Migrations");
        try
        {
            await using var scope = host.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<KinderDbContext>();
            await DatabaseMigrator.MigrateAsync(db, logger);
            if (builder.Configuration[ApplicationRole.NameKey] is { Length: > 0 } role)
            {
                var connection = (NpgsqlConnection)db.Database.GetDbConnection();
                await db.Database.OpenConnectionAsync();
                await ApplicationRole.EnsureAsync(connection, role, builder.Configuration[ApplicationRole.PasswordKey], logger);
            }
            return 0;
        }
        catch (Exception exception)
        {
            logger.LogCritical(exception, "Migrations failed");
            return 1;
        }
    }
}
