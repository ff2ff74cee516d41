using Kinder.Core.Chat;
using Kinder.Realtime.Hubs;
using Kinder.Realtime.Presence;
using Microsoft.Extensions.DependencyInjection;

namespace Kinder.Tests.Realtime;

/// <summary>Presence on one instance: announced to the people a user shares conversations with, never across a block.</summary>
public sealed class PresenceTests(RealtimeFactory realtime) : IClassFixture<RealtimeFactory>
{
    [Fact]
    public async Task Connecting_announces_the_user_online_to_their_contacts()
    {
        var (user, contact, stranger) = (await realtime.CreateUserAsync(), await realtime.CreateUserAsync(), await realtime.CreateUserAsync());
        await realtime.CreateConversationAsync(ConversationType.Direct, [user, contact]);
        await using var contactConnection = await realtime.ConnectAsync(contact);
        await using var strangerConnection = await realtime.ConnectAsync(stranger);
        var (contactEvents, strangerEvents) = (new ServerEventLog(contactConnection), new ServerEventLog(strangerConnection));

        await using var connection = await realtime.ConnectAsync(user);

        await contactEvents.WaitAsync(ServerEvents.PresenceOnline, ServerEventLog.About(user.Id));
        await strangerEvents.AssertNoneAsync(ServerEvents.PresenceOnline, ServerEventLog.About(user.Id));
    }

    [Fact]
    public async Task Closing_the_last_connection_announces_the_user_offline()
    {
        var (user, contact) = (await realtime.CreateUserAsync(), await realtime.CreateUserAsync());
        await realtime.CreateConversationAsync(ConversationType.Direct, [user, contact]);
        await using var contactConnection = await realtime.ConnectAsync(contact);
        var contactEvents = new ServerEventLog(contactConnection);
        var connection = await realtime.ConnectAsync(user);
        await contactEvents.WaitAsync(ServerEvents.PresenceOnline, ServerEventLog.About(user.Id));

        await connection.DisposeAsync();

        await contactEvents.WaitAsync(ServerEvents.PresenceOffline, ServerEventLog.About(user.Id));
    }

    [Fact]
    public async Task A_second_device_neither_announces_again_nor_takes_the_user_offline_when_it_closes()
    {
        var (user, contact) = (await realtime.CreateUserAsync(), await realtime.CreateUserAsync());
        await realtime.CreateConversationAsync(ConversationType.Direct, [user, contact]);
        await using var contactConnection = await realtime.ConnectAsync(contact);
        var contactEvents = new ServerEventLog(contactConnection);
        await using var phone = await realtime.ConnectAsync(user);
        await contactEvents.WaitAsync(ServerEvents.PresenceOnline, ServerEventLog.About(user.Id));
        // The contact may hear it twice: once announced, once in its own connection's list of who is online.
        await Task.Delay(500);
        var announcements = contactEvents.Count(ServerEvents.PresenceOnline, ServerEventLog.About(user.Id));

        var laptop = await realtime.ConnectAsync(user);
        await laptop.DisposeAsync();

        // Past a connection's lifetime (2 s here): the phone's heartbeats keep the user online.
        await contactEvents.AssertNoneAsync(ServerEvents.PresenceOffline, ServerEventLog.About(user.Id), TimeSpan.FromSeconds(3));
        Assert.Equal(announcements, contactEvents.Count(ServerEvents.PresenceOnline, ServerEventLog.About(user.Id)));
    }

    [Fact]
    public async Task A_connection_closed_while_it_is_still_being_set_up_does_not_stay_online()
    {
        var store = realtime.Services.GetRequiredService<PresenceStore>();
        var users = new List<Kinder.Core.Identity.User>();
        for (var i = 0; i < 5; i++)
        {
            var (user, contact) = (await realtime.CreateUserAsync(), await realtime.CreateUserAsync());
            await realtime.CreateConversationAsync(ConversationType.Direct, [user, contact]);
            var connection = await realtime.ConnectAsync(user);
            await connection.DisposeAsync();
            users.Add(user);
        }

        // Within a connection's lifetime (2 s) plus a sweep, whatever the race: no heartbeat keeps a closed one alive.
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.All(await store.AreOnlineAsync([.. users.Select(user => user.Id)]), Assert.False);
    }

    [Fact]
    public async Task Presence_is_not_shown_between_users_where_one_blocked_the_other()
    {
        var (user, blocker, friend) = (await realtime.CreateUserAsync(), await realtime.CreateUserAsync(), await realtime.CreateUserAsync());
        await realtime.CreateConversationAsync(ConversationType.Group, [user, blocker, friend], title: "Group");
        await realtime.BlockAsync(blocker, user);
        await using var blockerConnection = await realtime.ConnectAsync(blocker);
        await using var friendConnection = await realtime.ConnectAsync(friend);
        var (blockerEvents, friendEvents) = (new ServerEventLog(blockerConnection), new ServerEventLog(friendConnection));

        await using var connection = await realtime.ConnectAsync(user);

        await friendEvents.WaitAsync(ServerEvents.PresenceOnline, ServerEventLog.About(user.Id));
        await blockerEvents.AssertNoneAsync(ServerEvents.PresenceOnline, ServerEventLog.About(user.Id));
    }

    [Fact]
    public async Task A_new_connection_learns_which_of_its_contacts_are_online()
    {
        var (user, online, offline) = (await realtime.CreateUserAsync(), await realtime.CreateUserAsync(), await realtime.CreateUserAsync());
        await realtime.CreateConversationAsync(ConversationType.Group, [user, online, offline], title: "Group");
        await using var onlineConnection = await realtime.ConnectAsync(online);

        var connection = realtime.CreateConnection(Infrastructure.TestTokens.For(user).Token);
        var events = new ServerEventLog(connection);
        await connection.StartAsync();
        await using var _ = connection;

        await events.WaitAsync(ServerEvents.PresenceOnline, ServerEventLog.About(online.Id));
        await events.AssertNoneAsync(ServerEvents.PresenceOnline, ServerEventLog.About(offline.Id));
    }
}
