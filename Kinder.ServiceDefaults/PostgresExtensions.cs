using Kinder.Core;
using Kinder.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

public static class PostgresExtensions
{
    /// <summary>
    /// Registers <see cref="KinderDbContext"/> (pooled) from <c>ConnectionStrings:kinderdb</c> with what Aspire's Npgsql
    /// EF Core integration adds: retries on transient failures, a readiness health check, Npgsql tracing and
    /// metrics (wired in <see cref="Extensions.ConfigureOpenTelemetry{TBuilder}"/>).
    /// </summary>
    public static IHostApplicationBuilder AddKinderDbContext(this IHostApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString(KinderResources.Database)
            ?? throw new InvalidOperationException(
                $"ConnectionStrings:{KinderResources.Database} is not set. An AppHost injects it; " +
                "the local runner sets ConnectionStrings__kinderdb.");

        var maxRetryCount = builder.Configuration.GetValue("Database:MaxRetryCount", KinderDbContextOptions.DefaultMaxRetryCount);
        builder.Services.AddDbContextPool<KinderDbContext>(options =>
            KinderDbContextOptions.Configure(options, connectionString, maxRetryCount));
        builder.Services.AddHealthChecks()
            .AddDbContextCheck<KinderDbContext>(KinderResources.Database, tags: [Extensions.ReadyTag]);
        return builder;
    }
}
