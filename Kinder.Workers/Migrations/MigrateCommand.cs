using Kinder.Core.Data;

namespace Kinder.Workers.Migrations;

/// <summary>The one-shot migration step that the AppHost and the local runner run before the services start.</summary>
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
            return 0;
        }
        catch (Exception exception)
        {
            logger.LogCritical(exception, "Migrations failed");
            return 1;
        }
    }
}
