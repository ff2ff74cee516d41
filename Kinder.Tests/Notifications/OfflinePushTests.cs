using Kinder.Core.Chat;
using Kinder.Core.Identity;
using Kinder.Core.Presence;
using Kinder.Messaging;
using Kinder.Tests.Infrastructure;
using Kinder.Tests.Messaging;
using Kinder.Tests.Realtime;
using Kinder.Workers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Kinder.Tests.Notifications;

/// <summary>
/// Workers on a Realtime test host's database and Redis prefix: Realtime's presence is what they read. Realtime
/// starts only when a test connects someone.
/// </summary>
public sealed class OfflinePushStack : IAsyncLifetime
{
    public RealtimeFactory Realtime { get; } = new();

    public PushWorkers Workers { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Realtime.InitializeAsync();
        Workers = new PushWorkers(Realtime);
        _ = Workers.Server;
    }

    public async Task DisposeAsync()
    {
        await Workers.DisposeAsync();
        await Realtime.DisposeAsync();
    }

    public Task ProduceAsync(MessageCreated created) =>
        Workers.Services.GetRequiredService<IKafkaProducer>().ProduceAsync(Topics.MessagesOutgoing,
            created.Message.ConversationId.ToString(), KafkaEnvelope.Create(created));

    public static MessageView View(Conversation conversation, User sender, long seq, string? body) => new(
        MessageIds.For(conversation.Id, sender.Id, $"c-{seq}"), conversation.Id, seq, sender.Id, $"c-{seq}", "text", body, [], null,
        new Dictionary<string, int>(), DateTimeOffset.UtcNow);

    public sealed class PushWorkers(RealtimeFactory realtime) : WebApplicationFactory<WorkersAssembly>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseTestServers(realtime.DatabaseConnectionString);
            builder.UseSetting(OnlineUsers.PrefixKey, realtime.RedisPrefix);
        }
    }
}

/// <summary>Workers request a push, on <c>notifications.push</c>, for a new message's members offline on every device.</summary>
public sealed class OfflinePushTests(OfflinePushStack stack) : IClassFixture<OfflinePushStack>
{
    private RealtimeFactory Realtime => stack.Realtime;

    [Fact]
    public async Task A_push_is_requested_for_a_recipient_offline_on_every_device_and_none_for_one_online_or_the_sender()
    {
        var sender = await Realtime.CreateUserAsync("Ana");
        var (online, offline) = (await Realtime.CreateUserAsync(), await Realtime.CreateUserAsync());
        var conversation = await Realtime.CreateConversationAsync(ConversationType.Group, [sender, online, offline], title: "Climbing crew");
        await using var onlineConnection = await Realtime.ConnectAsync(online);
        // The hub records presence in OnConnectedAsync, which may finish after the client's start returned.
        var presence = stack.Workers.Services.GetRequiredService<OnlineUsers>();
        await Eventually.TrueAsync(() => presence.AreOnlineAsync([online.Id]).GetAwaiter().GetResult()[0],
            "Workers see the connected member online");
        var message = OfflinePushStack.View(conversation, sender, seq: 1, "Who's in for Saturday?");

        await stack.ProduceAsync(new MessageCreated(message, [sender.Id, online.Id, offline.Id]));

        var push = Assert.Single(RealtimeKafka.ConsumeWithKey(Topics.NotificationsPush, offline.Id.ToString(), 1));
        Assert.Equal(PushRequested.RecordType, push.Type);
        var request = push.Deserialize<PushRequested>();
        Assert.Equal((offline.Id, "message", "Climbing crew", "Ana: Who's in for Saturday?", conversation.Id, message.Id, 1L),
            (request.UserId, request.Kind, request.Title, request.Body, request.ConversationId, request.MessageId, request.Seq));
        Assert.Empty(RealtimeKafka.ConsumeWithKey(Topics.NotificationsPush, online.Id.ToString(), 1, TimeSpan.FromSeconds(2)));
        Assert.Empty(RealtimeKafka.ConsumeWithKey(Topics.NotificationsPush, sender.Id.ToString(), 1, TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task A_push_in_a_direct_conversation_is_titled_with_the_senders_name()
    {
        var (sender, offline) = (await Realtime.CreateUserAsync("Bruno"), await Realtime.CreateUserAsync());
        var conversation = await Realtime.CreateConversationAsync(ConversationType.Direct, [sender, offline]);
        var message = OfflinePushStack.View(conversation, sender, seq: 1, "Coffee?");

        await stack.ProduceAsync(new MessageCreated(message, [sender.Id, offline.Id]));

        var request = Assert.Single(RealtimeKafka.ConsumeWithKey(Topics.NotificationsPush, offline.Id.ToString(), 1)).Deserialize<PushRequested>();
        Assert.Equal(("Bruno", "Coffee?"), (request.Title, request.Body));
    }
}

/// <summary>The push path does not run through Realtime: with no Realtime instance at all, offline members are pushed.</summary>
public sealed class OfflinePushWithoutRealtimeTests(OfflinePushStack stack) : IClassFixture<OfflinePushStack>
{
    [Fact]
    public async Task A_message_to_an_offline_member_is_pushed_while_no_realtime_instance_runs()
    {
        // This fixture's Realtime host is never started: only its database and Redis prefix are used.
        var (sender, offline) = (await stack.Realtime.CreateUserAsync("Carla"), await stack.Realtime.CreateUserAsync());
        var conversation = await stack.Realtime.CreateConversationAsync(ConversationType.Direct, [sender, offline]);
        var message = OfflinePushStack.View(conversation, sender, seq: 1, "Still on for tonight?");

        await stack.ProduceAsync(new MessageCreated(message, [sender.Id, offline.Id]));

        var request = Assert.Single(RealtimeKafka.ConsumeWithKey(Topics.NotificationsPush, offline.Id.ToString(), 1))
            .Deserialize<PushRequested>();
        Assert.Equal((message.Id, "Carla", "Still on for tonight?"), (request.MessageId, request.Title, request.Body));
    }
}
