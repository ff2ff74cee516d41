using Kinder.Core;
using Kinder.Core.Chat;
using Kinder.Core.Http;
using Kinder.Core.Identity;
using Kinder.Messaging;
using Kinder.Realtime.Chat;
using Kinder.Realtime.Delivery;
using Kinder.Realtime.Diagnostics;
using Kinder.Realtime.Hubs;
using Kinder.Realtime.Memory;
using Kinder.Realtime.Presence;
using Kinder.Realtime.Typing;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Kinder.Realtime.Extensions;

public static class ApplicationServiceExtensions
{
    /// <summary>Everything Realtime registers, in one place.</summary>
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddKinderDbContext();
        builder.AddKinderRedisClient();
        builder.AddKafkaClient();
        builder.AddKinderJwtAuthentication();
        builder.Services.AddKinderProblemDetailsDefaults();
        builder.Services.AddChatCore();
        builder.Services.AddMemoryCache();

        builder.Services.AddOptions<RealtimeOptions>()
            .BindConfiguration(RealtimeOptions.SectionName)
            .Validate(options => !string.IsNullOrWhiteSpace(options.RedisPrefix) && !string.IsNullOrWhiteSpace(options.ConsumerGroup),
                "Realtime:RedisPrefix and Realtime:ConsumerGroup must not be blank.")
            .Validate(options => options.Presence.HeartbeatInterval > TimeSpan.Zero && options.Presence.SweepInterval > TimeSpan.Zero
                    && options.Presence.ConnectionLifetime > options.Presence.HeartbeatInterval,
                "Realtime:Presence intervals must be positive, and ConnectionLifetime longer than HeartbeatInterval.")
            .Validate(options => options.Typing.Timeout > TimeSpan.Zero && options.Typing.SweepInterval > TimeSpan.Zero,
                "Realtime:Typing:Timeout and SweepInterval must be positive.")
            .Validate(options => options.MaxConnectionsPerUser > 0, "Realtime:MaxConnectionsPerUser must be positive.")
            .Validate(options => options.IdleTrim.CheckInterval > TimeSpan.Zero && options.IdleTrim.QuietAllocationBytesPerSecond >= 0
                    && options.IdleTrim.MinimumGrowthBytes > 0,
                "Realtime:IdleTrim:CheckInterval and MinimumGrowthBytes must be positive, QuietAllocationBytesPerSecond not negative.")
            .ValidateOnStart();
        var settings = builder.Configuration.GetSection(RealtimeOptions.SectionName).Get<RealtimeOptions>() ?? new RealtimeOptions();

        builder.Services.Configure<SocketTransportOptions>(options =>
            options.UnsafePreferInlineScheduling = settings.InlineSocketScheduling);

        builder.Services.AddSignalR(options =>
        {
            // A 4,000-character body, JSON-escaped, fits; nothing a client sends is bigger.
            options.MaximumReceiveMessageSize = 24 * 1024;
            options.AddFilter<UserStateHubFilter>();
            options.AddFilter<ConnectionReadyFilter>();
        });
        // Kafka records go to local connections (LocalRecipients); hub calls' events (presence, typing) also cross to
        // the other instances on one Redis channel (HubBackplane).
        builder.Services.AddSingleton<HubLifetimeManager<ChatHub>, LocalDeliveryHubLifetimeManager>();
        builder.Services.AddSingleton<HubBackplane>();
        builder.Services.AddHostedService(services => services.GetRequiredService<HubBackplane>());
        builder.Services.AddSingleton<LocalRecipients>();
        builder.Services.AddSingleton<IUserIdProvider, KinderUserIdProvider>();
        builder.Services.AddSingleton<AuthenticatedConnections>();
        builder.Services.AddSingleton<UserStateHubFilter>();
        // Every hub call checks the caller's current state: from memory, dropped when a change is announced.
        builder.Services.AddSingleton<UserStateLocalCache>();
        builder.Services.AddHostedService(services => services.GetRequiredService<UserStateLocalCache>());
        builder.Services.AddHostedService<CutOffListener>();
        // A client's start completes once the lifetime manager holds its connection (HeldHandshake.cs).
        builder.Services.AddSingleton<HubConnectionHandler<ChatHub>, HeldHandshakeHubConnectionHandler>();

        builder.Services.AddSingleton<ChatAudience>();
        // Sends check write access against what ChatAudience caches (refusals against the database).
        builder.Services.Replace(ServiceDescriptor.Singleton<IConversationWriteAccess>(
            provider => provider.GetRequiredService<ChatAudience>()));
        builder.Services.AddSingleton<PresenceStore>();
        builder.Services.AddSingleton<LocalConnections>();
        builder.Services.AddSingleton<PresenceTracker>();
        builder.Services.AddHostedService<PresenceHeartbeatService>();
        builder.Services.AddSingleton<TypingIndicators>();
        builder.Services.AddHostedService<TypingExpiryService>();
        builder.Services.AddHostedService<IdleHeapTrimmer>();

        builder.Services.AddSingleton<AnnouncedMessages>();
        builder.Services.AddKeyedSingleton(RealtimeRecordDispatcher.HandlersKey,
            builder.Services.AddRecordHandlers(RealtimeRecordDispatcher.Handlers));
        var deliveryStart = new KafkaConsumerStart();
        builder.Services.AddKeyedSingleton(LocalDeliveryHubLifetimeManager.DeliveryStartKey, deliveryStart);
        builder.Services.AddKafkaEveryInstanceConsumer<RealtimeRecordDispatcher>(settings.ConsumerGroup,
            RealtimeRecordDispatcher.BatchSize, deliveryStart, RealtimeRecordDispatcher.Topics);
        return builder;
    }
}
