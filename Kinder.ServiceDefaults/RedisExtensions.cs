using Kinder.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Microsoft.Extensions.Hosting;

public static class RedisExtensions
{
    /// <summary>
    /// One shared <see cref="IConnectionMultiplexer"/> from <c>ConnectionStrings:redis</c>, as Aspire's Redis
    /// integration registers it: it does not abort when Redis is down at start (it keeps reconnecting),
    /// and a readiness health check pings it.
    /// </summary>
    public static IHostApplicationBuilder AddRedisClient(this IHostApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString(KinderResources.Redis)
            ?? throw new InvalidOperationException(
                $"ConnectionStrings:{KinderResources.Redis} is not set. An AppHost injects it; " +
                "the local runner sets ConnectionStrings__redis.");

        var options = ConfigurationOptions.Parse(connectionString);
        options.AbortOnConnectFail = false;
        options.ConnectRetry = Math.Max(options.ConnectRetry, 5);
        options.ClientName ??= builder.Environment.ApplicationName;

        builder.Services.AddSingleton<IConnectionMultiplexer>(services =>
        {
            var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Kinder.Redis");
            var multiplexer = ConnectionMultiplexer.Connect(options);
            multiplexer.ConnectionFailed += (_, args) =>
                logger.LogWarning("Redis connection to {EndPoint} failed: {FailureType}", args.EndPoint, args.FailureType);
            multiplexer.ConnectionRestored += (_, args) =>
                logger.LogInformation("Redis connection to {EndPoint} restored", args.EndPoint);
            return multiplexer;
        });
        builder.Services.AddHealthChecks().AddCheck<RedisHealthCheck>(KinderResources.Redis, tags: [Extensions.ReadyTag]);
        return builder;
    }
}

internal sealed class RedisHealthCheck(IConnectionMultiplexer redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var latency = await redis.GetDatabase().PingAsync().WaitAsync(TimeSpan.FromSeconds(2), cancellationToken);
            return HealthCheckResult.Healthy($"ping {latency.TotalMilliseconds:0.0} ms");
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("Redis is unreachable", exception);
        }
    }
}
