using Kinder.Core;
using Microsoft.AspNetCore.Hosting;

namespace Kinder.Tests.Infrastructure;

/// <summary>What every in-process host under test is pointed at: its own database, the run's Redis and Kafka.</summary>
public static class TestHostSettings
{
    public static IWebHostBuilder UseTestServers(this IWebHostBuilder builder, string databaseConnectionString)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting($"ConnectionStrings:{KinderResources.Database}", databaseConnectionString);
        builder.UseSetting($"ConnectionStrings:{KinderResources.Redis}", TestServers.Redis);
        builder.UseSetting($"ConnectionStrings:{KinderResources.Kafka}", TestKafka.BootstrapServers);
        builder.UseSetting("Jwt:SigningKey", TestServers.JwtSigningKey);
        builder.UseSetting("Smtp:Host", TestSmtp.Sink.Host);
        builder.UseSetting("Smtp:Port", TestSmtp.Sink.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        // EF logs every failed command with its stack; the tests assert on responses, not on those lines.
        builder.UseSetting("Logging:LogLevel:Microsoft.EntityFrameworkCore", "Critical");
        return builder;
    }
}
