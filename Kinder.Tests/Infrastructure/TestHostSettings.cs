using Kinder.Core;
using Microsoft.AspNetCore.Hosting;

namespace Kinder.Tests.Infrastructure;

/// <summary>
/// What every in-process host under test is pointed at: its own database (as the services' database role) and bucket, the run's Redis, Kafka and
/// s3rver, and consumer groups of its own (hosts share the broker but not the database, so they must not split
/// a topic's records between them).
/// </summary>
public static class TestHostSettings
{
    public static IWebHostBuilder UseTestServers(this IWebHostBuilder builder, string databaseConnectionString)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting($"ConnectionStrings:{KinderResources.Database}", TestDatabases.AsApplicationRole(databaseConnectionString));
        builder.UseSetting($"ConnectionStrings:{KinderResources.Redis}", TestServers.Redis);
        builder.UseSetting($"ConnectionStrings:{KinderResources.Kafka}", TestKafka.BootstrapServers);
        builder.UseSetting("Jwt:SigningKey", TestServers.JwtSigningKey);
        builder.UseSetting("Smtp:Host", TestSmtp.Sink.Host);
        builder.UseSetting("Smtp:Port", TestSmtp.Sink.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Storage:ServiceUrl", TestServers.S3);
        builder.UseSetting("Storage:Bucket", TestServers.NewBucketName());
        builder.UseSetting("Storage:AccessKey", TestServers.S3AccessKey);
        builder.UseSetting("Storage:SecretKey", TestServers.S3SecretKey);
        builder.UseSetting(Kinder.Workers.Extensions.ApplicationServiceExtensions.PersonalDataConsumerGroupKey,
            $"personal-data-{Guid.NewGuid():N}");
        builder.UseSetting(Kinder.Workers.Extensions.ApplicationServiceExtensions.MediaConsumerGroupKey, $"media-{Guid.NewGuid():N}");
        builder.UseSetting(Kinder.Workers.Extensions.ApplicationServiceExtensions.ChatProcessorConsumerGroupKey,
            $"chat-processor-{Guid.NewGuid():N}");
        builder.UseSetting(Kinder.Workers.Extensions.ApplicationServiceExtensions.ChatEventsConsumerGroupKey,
            $"chat-events-{Guid.NewGuid():N}");
        builder.UseSetting(Kinder.Workers.Extensions.ApplicationServiceExtensions.OfflinePushConsumerGroupKey,
            $"offline-pushes-{Guid.NewGuid():N}");
        builder.UseSetting(Kinder.Workers.Extensions.ApplicationServiceExtensions.NotificationsConsumerGroupKey,
            $"notifications-{Guid.NewGuid():N}");
        builder.UseSetting(Kinder.Workers.Extensions.ApplicationServiceExtensions.NotificationSourcesConsumerGroupKey,
            $"notification-sources-{Guid.NewGuid():N}");
        builder.UseSetting(Kinder.Workers.Extensions.ApplicationServiceExtensions.PaymentsConsumerGroupKey,
            $"payments-{Guid.NewGuid():N}");
        builder.UseSetting("App:PublicUrl", "http://127.0.0.1:5080");
        builder.UseSetting("Auth:BcryptWorkFactor", "11");
        // Every in-process host shares the run's Redis, and TestServer requests have no client address, so per-address
        // limits would count the whole suite's sign-ups as one client's. Tests of the limits set their own.
        builder.UseSetting("Auth:RateLimits:Registrations:PermitLimit", "100000");
        builder.UseSetting("Auth:RateLimits:ForgotPasswords:PermitLimit", "100000");
        builder.UseSetting("Auth:RateLimits:FailedLoginsPerAddress:PermitLimit", "100000");
        // EF logs every failed command with its stack; the tests assert on responses, not on those lines.
        builder.UseSetting("Logging:LogLevel:Microsoft.EntityFrameworkCore", "Critical");
        return builder;
    }

    /// <summary>
    /// A host on a stack's own Kafka mock broker (<see cref="TestKafka.StartOwn"/>). Its consumers' session timeout is
    /// short because the mock's coordinator holds a join for <c>session.timeout.ms</c> − 1 s after a member left (a
    /// real broker does not): with the 45 s default a restarted host would wait 44 s for its partitions.
    /// </summary>
    public static IWebHostBuilder UseOwnBroker(this IWebHostBuilder builder, string bootstrapServers)
    {
        builder.UseSetting($"ConnectionStrings:{KinderResources.Kafka}", bootstrapServers);
        builder.UseSetting("Aspire:Confluent:Kafka:Consumer:Config:SessionTimeoutMs", "6000");
        builder.UseSetting("Aspire:Confluent:Kafka:Consumer:Config:HeartbeatIntervalMs", "1000");
        return builder;
    }
}
