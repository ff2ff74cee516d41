using Kinder.Core;

namespace Microsoft.Extensions.Hosting;

public static class RedisExtensions
{
    /// <summary>
    /// The one shared <c>IConnectionMultiplexer</c> from <c>ConnectionStrings:redis</c>, registered by Aspire's
    /// <c>AddRedisClient</c>: it does not abort when Redis is down at start, logs through ILogger, traces commands
    /// and adds a health check (<c>StackExchange.Redis</c>); settings under <c>Aspire:StackExchange:Redis</c>.
    /// </summary>
    public static IHostApplicationBuilder AddKinderRedisClient(this IHostApplicationBuilder builder)
    {
        builder.AddRedisClient(KinderResources.Redis, configureOptions: options =>
        {
            // CLIENT LIST then tells the services apart; a connection string that names the client wins.
            options.ClientName ??= builder.Environment.ApplicationName;
            options.ConnectRetry = Math.Max(options.ConnectRetry, 5);
        });
        return builder;
    }
}
