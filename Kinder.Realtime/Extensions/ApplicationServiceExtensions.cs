using Kinder.Core;
using Kinder.Core.Http;
using Kinder.Core.Identity;
using Kinder.Core.Messaging;
using Kinder.Realtime.Diagnostics;
using StackExchange.Redis;

namespace Kinder.Realtime.Extensions;

public static class ApplicationServiceExtensions
{
    /// <summary>Consumer group shared by every Realtime instance: each record is handled once, the backplane fans out.</summary>
    public const string ConsumerGroup = "realtime";

    /// <summary>Everything Realtime registers, in one place.</summary>
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddRedisClient();
        builder.AddKafkaClient();
        builder.AddKinderJwtAuthentication();
        builder.Services.AddKinderProblemDetailsDefaults();

        var redis = builder.Configuration.GetConnectionString(KinderResources.Redis)!;
        builder.Services.AddSignalR()
            .AddStackExchangeRedis(redis, options =>
            {
                options.Configuration.AbortOnConnectFail = false;
                options.Configuration.ChannelPrefix = RedisChannel.Literal("kinder.signalr");
            });

        builder.Services.AddKafkaConsumer<ProbeRecordedIntegrationEventHandler>(ConsumerGroup, Topics.SystemProbes);
        return builder;
    }
}
