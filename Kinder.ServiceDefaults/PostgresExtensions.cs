using Kinder.Core;
using Kinder.Core.Data;

namespace Microsoft.Extensions.Hosting;

public static class PostgresExtensions
{
    /// <summary>
    /// Registers <see cref="KinderDbContext"/> from <c>ConnectionStrings:kinderdb</c> with Aspire's
    /// <c>AddNpgsqlDbContext</c> (pooled, Npgsql tracing and metrics, a health check named <c>KinderDbContext</c>,
    /// settings under <c>Aspire:Npgsql:EntityFrameworkCore:PostgreSQL</c>) and the provider settings every user of
    /// the context shares (<see cref="KinderDbContextOptions"/>), applied after Aspire's own <c>UseNpgsql</c>.
    /// </summary>
    public static IHostApplicationBuilder AddKinderDbContext(this IHostApplicationBuilder builder)
    {
        var maxRetryCount = KinderDbContextOptions.DefaultMaxRetryCount;
        builder.AddNpgsqlDbContext<KinderDbContext>(KinderResources.Database,
            settings =>
            {
                // Aspire checks only when the first context is made; a service without a database should not start.
                if (string.IsNullOrWhiteSpace(settings.ConnectionString))
                    throw new InvalidOperationException(
                        $"ConnectionStrings:{KinderResources.Database} is not set. An AppHost injects it; " +
                        "the local runner sets ConnectionStrings__kinderdb.");
                settings.ConnectionString = KinderDbContextOptions.WithPoolDefaults(settings.ConnectionString);
                // Aspire's DisableRetry is the switch; when on, our retry policy replaces Aspire's default one.
                if (settings.DisableRetry) maxRetryCount = 0;
            },
            options => KinderDbContextOptions.ConfigureProvider(options, maxRetryCount));
        return builder;
    }
}
