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
