using Kinder.Core;
using Kinder.Core.Admin;
using Kinder.Core.Chat;
using Kinder.Core.Email;
using Kinder.Core.Events;
using Kinder.Core.Friends;
using Kinder.Core.Identity;
using Kinder.Core.Media;
using Kinder.Core.Moderation;
using Kinder.Core.Notifications;
using Kinder.Core.Outbox;
using Kinder.Core.Payments;
using Kinder.Core.PersonalData;
using Kinder.Core.Presence;
using Kinder.Core.Storage;
using Kinder.Core.Uploads;
using Kinder.Messaging;
using Kinder.Workers.Admin;
using Kinder.Workers.Chat;
using Kinder.Workers.Email;
using Kinder.Workers.Media;
using Kinder.Workers.Moderation;
using Kinder.Workers.Notifications;
using Kinder.Workers.Outbox;
using Kinder.Workers.Payments;
using Kinder.Workers.PersonalData;
using Kinder.Workers.Push;
using Microsoft.Extensions.DependencyInjection.Extensions;
using StackExchange.Redis;

namespace Kinder.Workers.Extensions;

public static class ApplicationServiceExtensions
{
    /// <summary>The group that finishes account deletions. Configurable so that test hosts sharing one broker but
    /// not one database each read every record, instead of splitting them.</summary>
    public const string PersonalDataConsumerGroup = "workers-personal-data";
    public const string PersonalDataConsumerGroupKey = "PersonalData:ConsumerGroup";

    /// <summary>The group that makes upload display sizes; configurable for the same reason.</summary>
    public const string MediaConsumerGroup = "workers-media";
    public const string MediaConsumerGroupKey = "Media:ConsumerGroup";

    /// <summary>The chat message processor's group (persists <c>messages.incoming</c>); configurable like the others.</summary>
    public const string ChatProcessorConsumerGroup = ChatPathGroups.Processor;
    public const string ChatProcessorConsumerGroupKey = "Chat:ProcessorConsumerGroup";

    /// <summary>How many fetched records the message processor takes per transaction (1: one at a time).</summary>
    public const string ChatProcessorBatchSizeKey = "Chat:ProcessorBatchSize";

    /// <summary>The group that keeps event discussions in step with attendance; configurable like the others.</summary>
    public const string ChatEventsConsumerGroup = "chat-events";
    public const string ChatEventsConsumerGroupKey = "Chat:EventsConsumerGroup";

    /// <summary>The group that hands push requests to the push services; configurable like the others.</summary>
    public const string NotificationsConsumerGroup = "workers-notifications";
    public const string NotificationsConsumerGroupKey = "Notifications:PushConsumerGroup";

    /// <summary>The group that schedules chat notifications for new messages' offline recipients; configurable like the others.</summary>
    public const string OfflinePushConsumerGroup = ChatPathGroups.OfflinePushes;
    public const string OfflinePushConsumerGroupKey = "Notifications:OfflinePushConsumerGroup";

    /// <summary>The group that turns domain records into notifications; configurable like the others.</summary>
    public const string NotificationSourcesConsumerGroup = "workers-notification-sources";
    public const string NotificationSourcesConsumerGroupKey = "Notifications:SourcesConsumerGroup";

    /// <summary>The group that applies Stripe's webhook events; configurable like the others.</summary>
    public const string PaymentsConsumerGroup = "workers-payments";
    public const string PaymentsConsumerGroupKey = "Payments:ConsumerGroup";

    /// <summary>Everything Workers registers, in one place.</summary>
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddKinderDbContext();
        builder.AddKinderRedisClient();
        builder.AddKafkaClient();

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddPersonalDataSources();
        builder.Services.AddScoped<OutboxErasure>();
        builder.AddKinderObjectStorage();
        builder.Services.AddImagePipeline();
        builder.Services.AddUploadOptions();
        builder.Services.AddHostedService<PendingUploadSweeper>();
        builder.Services.AddKafkaConsumer(builder.Configuration[MediaConsumerGroupKey] ?? MediaConsumerGroup, [Topics.Media],
            handlers => handlers.Add<UploadCompletedIntegrationEvent, UploadCompletedIntegrationEventHandler>());
        builder.Services.AddKafkaConsumer(builder.Configuration[PersonalDataConsumerGroupKey] ?? PersonalDataConsumerGroup, [Topics.Users],
            handlers => handlers.Add<UserDeletionRequestedIntegrationEvent, UserDeletionRequestedIntegrationEventHandler>());
        builder.Services.AddChatCore();
        builder.Services.AddKafkaBatchConsumer<MessageProcessor>(
            builder.Configuration[ChatProcessorConsumerGroupKey] ?? ChatProcessorConsumerGroup,
            builder.Configuration.GetValue(ChatProcessorBatchSizeKey, MessageProcessor.DefaultBatchSize), [Topics.MessagesIncoming]);
        builder.Services.AddKafkaConsumer(builder.Configuration[ChatEventsConsumerGroupKey] ?? ChatEventsConsumerGroup,
            [Topics.Attendance, Topics.EventChanges], handlers => handlers
                .Add<AttendanceChangedIntegrationEvent, EventDiscussionHandler>()
                .Add<WaitlistPromotedIntegrationEvent, EventDiscussionHandler>()
                .Add<EventRescheduledIntegrationEvent, EventDiscussionHandler>()
                .Add<EventRelocatedIntegrationEvent, EventDiscussionHandler>()
                .Add<EventCancelledIntegrationEvent, EventDiscussionHandler>());
        builder.Services.AddPaymentsCore();
        builder.Services.AddHostedService<ExpiredHoldSweeper>();
        builder.Services.AddModerationCore();
        builder.Services.AddHostedService<ExpiredSuspensionSweeper>();
        builder.Services.AddOptions<AnalyticsOptions>().BindConfiguration(AnalyticsOptions.SectionName)
            .Validate(options => options.IsValid,
                "Analytics: RollupInterval must be positive, RefreshDays at least 1 and BackfillDays at least RefreshDays.")
            .ValidateOnStart();
        builder.Services.AddHostedService<DailyActivityRollup>();
        builder.Services.AddKafkaConsumer(builder.Configuration[PaymentsConsumerGroupKey] ?? PaymentsConsumerGroup,
            [Topics.Payments, Topics.EventChanges], handlers => handlers
                .Add<StripeEventReceivedIntegrationEvent, StripeEventReceivedIntegrationEventHandler>()
                .Add<RefundRequestedIntegrationEvent, RefundRequestedIntegrationEventHandler>()
                .Add<EventCancelledIntegrationEvent, EventCancelledRefundHandler>());
        builder.Services.AddOutboxRelay();

        builder.Services.AddOptions<SmtpOptions>()
            .BindConfiguration(SmtpOptions.SectionName)
            .Validate(options => !string.IsNullOrWhiteSpace(options.Host),
                "Smtp:Host is not set: an AppHost injects it, the local runner points it at its SMTP sink.")
            .Validate(options => options.Port is > 0 and <= 65535, "Smtp:Port must be a port number.")
            .Validate(options => MimeKit.MailboxAddress.TryParse(options.From, out _), "Smtp:From must be an address, e.g. Kinder <no-reply@example.com>.")
            .Validate(options => string.IsNullOrEmpty(options.Password) || !string.IsNullOrEmpty(options.Username),
                "Smtp:Password is set without Smtp:Username.")
            .Validate(options => Enum.IsDefined(options.SecureSocket), "Smtp:SecureSocket must be None, StartTls or Auto.")
            .Validate(options => options.SecureSocket != SmtpSecureSocket.None || SmtpOptions.IsLoopback(options.Host),
                "Smtp:SecureSocket None (no TLS) is only for a relay on loopback; a remote relay is reached over TLS.")
            .Validate(options => options.Timeout > TimeSpan.Zero, "Smtp:Timeout must be positive.")
            .ValidateOnStart();
        builder.Services.AddOptions<AppOptions>()
            .BindConfiguration(AppOptions.SectionName)
            .Validate(options => options.IsValid, "App:PublicUrl must be an absolute http(s) URL (the base of emailed links).")
            .ValidateOnStart();
        builder.Services.AddScoped<AccountTokenMint>();
        builder.Services.AddSingleton<EmailComposer>();
        builder.Services.AddSingleton<SmtpEmailSender>();
        builder.Services.AddSingleton<SentEmails>();
        builder.Services.AddPush();
        builder.Services.AddSingleton(provider => new OnlineUsers(provider.GetRequiredService<IConnectionMultiplexer>(),
            builder.Configuration[OnlineUsers.PrefixKey] ?? OnlineUsers.DefaultPrefix));
        builder.Services.AddNotificationPipeline(builder.Configuration);
        builder.Services.AddKafkaConsumer(builder.Configuration[NotificationsConsumerGroupKey] ?? NotificationsConsumerGroup,
            [Topics.NotificationsPush],
            handlers => handlers.Add<PushRequested, PushRequestedIntegrationEventHandler>());

        builder.Services.AddKafkaConsumer("workers-email", [Topics.Email], handlers => handlers
            .Add<EmailRequestedIntegrationEvent, EmailRequestedIntegrationEventHandler>()
            .RejectOtherTypes()); // the topic carries nothing else: anything else is a mistake to dead-letter
        return builder;
    }

    /// <summary>
    /// The notification pipeline: domain records and chat messages become notifications (<see cref="NotificationWriter"/>),
    /// due jobs (chat delay, quiet hours, event reminders, digests) run from the <c>scheduled_jobs</c> table.
    /// </summary>
    public static IServiceCollection AddNotificationPipeline(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<NotificationOptions>()
            .BindConfiguration(NotificationOptions.SectionName)
            .Validate(options => options.IsValid,
                "Notifications:ChatPushDelay must not be negative and Notifications:SchedulerPollInterval must be positive.")
            .ValidateOnStart();
        services.AddScoped<NotificationWriter>();
        services.AddScoped<ChatNotifications>();
        services.AddScoped<EventReminderNotifications>();
        services.AddScoped<DigestMails>();
        services.AddHostedService<ScheduledJobRunner>();
        services.AddKafkaBatchConsumer<ChatNotificationHandler>(
            configuration[OfflinePushConsumerGroupKey] ?? OfflinePushConsumerGroup, ChatNotificationHandler.BatchSize,
            [Topics.MessagesOutgoing], ChatNotificationHandler.BatchWait);
        services.AddKafkaConsumer(configuration[NotificationSourcesConsumerGroupKey] ?? NotificationSourcesConsumerGroup,
            [Topics.Attendance, Topics.EventChanges, Topics.Social, Topics.Moderation, Topics.PaymentsChanges], handlers => handlers
                .Add<AttendanceChangedIntegrationEvent, NotificationSources>()
                .Add<WaitlistPromotedIntegrationEvent, NotificationSources>()
                .Add<EventRescheduledIntegrationEvent, NotificationSources>()
                .Add<EventRelocatedIntegrationEvent, NotificationSources>()
                .Add<EventCancelledIntegrationEvent, NotificationSources>()
                .Add<FriendRequestedIntegrationEvent, NotificationSources>()
                .Add<FriendRequestAcceptedIntegrationEvent, NotificationSources>()
                .Add<EventInvitedIntegrationEvent, NotificationSources>()
                .Add<PaymentChangedIntegrationEvent, NotificationSources>()
                .Add<BroadcastRequestedIntegrationEvent, BroadcastHandler>());
        return services;
    }

    /// <summary>
    /// The outbox relay: <see cref="OutboxSignal"/> wakes it on the outbox trigger's NOTIFY, so a committed row is
    /// published at once (polling covers a lost connection); published rows are pruned soon after. Test hosts that need rows relayed register it the same way.
    /// </summary>
    public static IServiceCollection AddOutboxRelay(this IServiceCollection services)
    {
        services.AddOptions<OutboxRelayOptions>()
            .BindConfiguration(OutboxRelayOptions.SectionName)
            .Validate(options => options.BatchSize is > 0 and <= 10_000, "Outbox:BatchSize must be between 1 and 10000.")
            .ValidateOnStart();
        services.AddSingleton<OutboxSignal>();
        services.AddHostedService(provider => provider.GetRequiredService<OutboxSignal>());
        services.AddHostedService<OutboxRelayService>();
        services.AddOptions<OutboxPruningOptions>()
            .BindConfiguration(OutboxRelayOptions.SectionName)
            .Validate(options => options.Retention >= TimeSpan.Zero && options.PruneInterval > TimeSpan.Zero,
                "Outbox:Retention must not be negative and Outbox:PruneInterval must be positive.")
            .ValidateOnStart();
        services.AddHostedService<OutboxPruningService>();
        return services;
    }
}
