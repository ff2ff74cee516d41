using Kinder.Core.Chat;
using Kinder.Messaging;
using Kinder.Realtime.Hubs;
using Kinder.Realtime.Presence;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Kinder.Tests.Realtime;

/// <summary>Two Realtime instances sharing one database, Redis (backplane, presence, typing) and Kafka (each reads every delivery record).</summary>
public sealed class RealtimeCluster : IAsyncLifetime
{
    public RealtimeFactory First { get; } = new();
    public RealtimeFactory Second { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await First.InitializeAsync();
        Second = RealtimeFactory.AnotherInstanceOf(First);
        await Second.InitializeAsync();
        _ = First.Server;
        _ = Second.Server;
    }

    public async Task DisposeAsync()
    {
        await Second.DisposeAsync();
        await First.DisposeAsync();
    }
}

/// <summary>Scale-out: users on different instances talk, see each other's presence and typing, also when an instance dies.</summary>
public sealed class ScaleOutTests(RealtimeCluster cluster) : IClassFixture<RealtimeCluster>
{
    [Fact]
    public async Task Two_users_connected_to_different_instances_exchange_messages()
    {
        var (ana, bruno) = (await cluster.First.CreateUserAsync(), await cluster.First.CreateUserAsync());
        var conversation = await cluster.First.CreateConversationAsync(ConversationType.Direct, [ana, bruno]);
        await using var anaConnection = await cluster.First.ConnectAsync(ana);
        await using var brunoConnection = await cluster.Second.ConnectAsync(bruno);
        var (anaEvents, brunoEvents) = (new ServerEventLog(anaConnection), new ServerEventLog(brunoConnection));

        var fromAna = await anaConnection.InvokeAsync<SendMessageResponse>("SendMessage", conversation.Id, "a-1", "Hi Bruno");
        var fromBruno = await brunoConnection.InvokeAsync<SendMessageResponse>("SendMessage", conversation.Id, "b-1", "Hi Ana");
        await cluster.First.PersistLikeTheProcessorAsync(conversation, [ana.Id, bruno.Id], count: 2);

        var (atBruno, _) = await brunoEvents.WaitAsync(ServerEvents.MessageNew, e => e.GetProperty("id").GetGuid() == fromAna.Id, TimeSpan.FromSeconds(20));
        var (atAna, _) = await anaEvents.WaitAsync(ServerEvents.MessageNew, e => e.GetProperty("id").GetGuid() == fromBruno.Id, TimeSpan.FromSeconds(20));
        Assert.Equal("Hi Bruno", atBruno.GetProperty("body").GetString());
        Assert.Equal("Hi Ana", atAna.GetProperty("body").GetString());
        // Every instance reads every record but writes only to its own connections: once, not once per instance.
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(2, brunoEvents.Count(ServerEvents.MessageNew));
        Assert.Equal(2, anaEvents.Count(ServerEvents.MessageNew));
    }

    [Fact]
    public async Task Presence_on_one_instance_is_announced_to_contacts_on_the_other()
    {
        var (user, contact) = (await cluster.First.CreateUserAsync(), await cluster.First.CreateUserAsync());
        await cluster.First.CreateConversationAsync(ConversationType.Direct, [user, contact]);
        await using var contactConnection = await cluster.First.ConnectAsync(contact);
        var contactEvents = new ServerEventLog(contactConnection);

        var connection = await cluster.Second.ConnectAsync(user);
        await contactEvents.WaitAsync(ServerEvents.PresenceOnline, ServerEventLog.About(user.Id));
        await connection.DisposeAsync();

        await contactEvents.WaitAsync(ServerEvents.PresenceOffline, ServerEventLog.About(user.Id));
    }

    [Fact]
    public async Task A_user_with_devices_on_both_instances_stays_online_until_the_last_one_closes()
    {
        var (user, contact) = (await cluster.First.CreateUserAsync(), await cluster.First.CreateUserAsync());
        await cluster.First.CreateConversationAsync(ConversationType.Direct, [user, contact]);
        await using var contactConnection = await cluster.First.ConnectAsync(contact);
        var contactEvents = new ServerEventLog(contactConnection);
        var phone = await cluster.First.ConnectAsync(user);
        var laptop = await cluster.Second.ConnectAsync(user);
        await contactEvents.WaitAsync(ServerEvents.PresenceOnline, ServerEventLog.About(user.Id));
        await Task.Delay(500);
        var announcements = contactEvents.Count(ServerEvents.PresenceOnline, ServerEventLog.About(user.Id));

        await phone.DisposeAsync();
        await contactEvents.AssertNoneAsync(ServerEvents.PresenceOffline, ServerEventLog.About(user.Id), TimeSpan.FromSeconds(3));
        await laptop.DisposeAsync();

        await contactEvents.WaitAsync(ServerEvents.PresenceOffline, ServerEventLog.About(user.Id));
        Assert.Equal(announcements, contactEvents.Count(ServerEvents.PresenceOnline, ServerEventLog.About(user.Id)));
    }

    [Fact]
    public async Task Users_of_an_instance_that_stopped_heartbeating_go_offline_once_their_connections_expire()
    {
        var (user, contact) = (await cluster.First.CreateUserAsync(), await cluster.First.CreateUserAsync());
        await cluster.First.CreateConversationAsync(ConversationType.Direct, [user, contact]);
        await using var contactConnection = await cluster.First.ConnectAsync(contact);
        var contactEvents = new ServerEventLog(contactConnection);
        await using var frozen = RealtimeFactory.AnotherInstanceOf(cluster.First);
        await frozen.InitializeAsync();
        await using var connection = await frozen.ConnectAsync(user);
        var (_, onlineAt) = await contactEvents.WaitAsync(ServerEvents.PresenceOnline, ServerEventLog.About(user.Id));

        // The instance hangs (or dies without closing anything): its connection stays open but is never refreshed.
        await StopAsync<PresenceHeartbeatService>(frozen);

        var (_, offlineAt) = await contactEvents.WaitAsync(ServerEvents.PresenceOffline, ServerEventLog.About(user.Id));
        Assert.True(offlineAt - onlineAt >= TimeSpan.FromSeconds(1.5), $"offline after {offlineAt - onlineAt}");
        Assert.Equal(HubConnectionState.Connected, connection.State);
    }

    [Fact]
    public async Task Typing_started_on_an_instance_that_then_dies_still_stops_by_itself()
    {
        var (typist, other) = (await cluster.First.CreateUserAsync(), await cluster.First.CreateUserAsync());
        var conversation = await cluster.First.CreateConversationAsync(ConversationType.Direct, [typist, other]);
        await using var otherConnection = await cluster.First.ConnectAsync(other);
        var otherEvents = new ServerEventLog(otherConnection);
        var doomed = RealtimeFactory.AnotherInstanceOf(cluster.First);
        await doomed.InitializeAsync();
        var typistConnection = await doomed.ConnectAsync(typist);
        await typistConnection.InvokeAsync("StartTyping", conversation.Id);
        var (_, startedAt) = await otherEvents.WaitAsync(ServerEvents.TypingStart, ServerEventLog.About(typist.Id));

        await doomed.DisposeAsync();

        var (_, stoppedAt) = await otherEvents.WaitAsync(ServerEvents.TypingStop, ServerEventLog.About(typist.Id), TimeSpan.FromSeconds(15));
        Assert.True(stoppedAt - startedAt >= TimeSpan.FromSeconds(4.5), $"stopped after {stoppedAt - startedAt}");
        await typistConnection.DisposeAsync();
    }

    [Fact]
    public async Task An_instance_dying_loses_nothing_for_the_others_and_its_users_continue_on_another()
    {
        var (ana, bruno) = (await cluster.First.CreateUserAsync(), await cluster.First.CreateUserAsync());
        var conversation = await cluster.First.CreateConversationAsync(ConversationType.Group, [ana, bruno]);
        var members = new List<Guid> { ana.Id, bruno.Id };
        await using var anaConnection = await cluster.First.ConnectAsync(ana);
        var anaEvents = new ServerEventLog(anaConnection);
        var doomed = RealtimeFactory.AnotherInstanceOf(cluster.First);
        await doomed.InitializeAsync();
        var brunoOnDoomed = await doomed.ConnectAsync(bruno);
        var brunoEarlyEvents = new ServerEventLog(brunoOnDoomed);

        async Task<SendMessageResponse> SendAsync(string clientMessageId) =>
            await anaConnection.InvokeAsync<SendMessageResponse>("SendMessage", conversation.Id, clientMessageId, clientMessageId);

        var before = await SendAsync("before");
        await cluster.First.PersistLikeTheProcessorAsync(conversation, members, count: 1);
        await brunoEarlyEvents.WaitAsync(ServerEvents.MessageNew, e => e.GetProperty("id").GetGuid() == before.Id);
        // The surviving instance is past it too, so Bruno's new connection there cannot get it again.
        await anaEvents.WaitAsync(ServerEvents.MessageNew, e => e.GetProperty("id").GetGuid() == before.Id);

        // The instance goes away while messages keep coming; Bruno's client reconnects to the other one.
        var dying = doomed.DisposeAsync();
        var during = await SendAsync("during");
        await dying;
        await brunoOnDoomed.DisposeAsync();
        await using var brunoAgain = await cluster.First.ConnectAsync(bruno);
        var brunoEvents = new ServerEventLog(brunoAgain);
        var after = await SendAsync("after");

        // The processor stand-in numbers all three only now: "during" and "after" are produced once Bruno is back.
        var created = RealtimeKafka.ConsumeWithKey(Topics.MessagesIncoming, conversation.Id.ToString(), 3);
        Assert.Equal(3, created.Count);
        var seq = 1;
        foreach (var message in created.Skip(1).Select(record => record.Deserialize<MessageSubmitted>()))
        {
            var view = new MessageView(message.MessageId, message.ConversationId, ++seq, message.SenderId, message.ClientMessageId,
                MessageTypes.ToApi(message.Type), message.Body, [], null, new Dictionary<string, int>(), DateTimeOffset.UtcNow);
            await cluster.First.ProduceAsync(Topics.MessagesOutgoing, conversation.Id.ToString(), MessageCreated.RecordType,
                new MessageCreated(view, members));
        }

        foreach (var id in new[] { during.Id, after.Id })
            await anaEvents.WaitAsync(ServerEvents.MessageNew, e => e.GetProperty("id").GetGuid() == id);
        foreach (var id in new[] { during.Id, after.Id })
            await brunoEvents.WaitAsync(ServerEvents.MessageNew, e => e.GetProperty("id").GetGuid() == id);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(3, anaEvents.Count(ServerEvents.MessageNew));
        Assert.Equal(2, brunoEvents.Count(ServerEvents.MessageNew));
    }

    private static Task StopAsync<TService>(RealtimeFactory instance) where TService : IHostedService =>
        instance.Services.GetServices<IHostedService>().OfType<TService>().Single().StopAsync(CancellationToken.None);
}
