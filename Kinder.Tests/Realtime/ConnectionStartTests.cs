using Kinder.Core.Identity;
using Kinder.Realtime.Hubs;
using Kinder.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;

namespace Kinder.Tests.Realtime;

/// <summary>
/// A started connection receives what is sent to its user from that moment on. SignalR answers the handshake before
/// the Redis backplane has subscribed the user's channel; a <c>message:new</c> published in between was lost (a member
/// of the thousand-message burst missed one).
/// </summary>
public sealed class ConnectionStartTests(RealtimeFactory realtime) : IClassFixture<RealtimeFactory>
{
    private const int Connections = 40;

    [Fact]
    public async Task What_is_sent_to_a_user_right_after_their_connection_started_reaches_it()
    {
        var hub = realtime.Services.GetRequiredService<IHubContext<ChatHub>>();
        var users = new List<User>();
        for (var i = 0; i < Connections; i++)
            users.Add(await realtime.CreateUserAsync());

        var missed = await Task.WhenAll(users.Select(async user =>
        {
            await using var connection = realtime.CreateConnection(TestTokens.For(user).Token);
            var events = new ServerEventLog(connection);
            await connection.StartAsync();
            await hub.Clients.Users([user.Id.ToString()]).SendAsync(ServerEvents.MessageNew, new { id = user.Id });
            try
            {
                await events.WaitAsync(ServerEvents.MessageNew, timeout: TimeSpan.FromSeconds(5));
                return 0;
            }
            catch (TimeoutException)
            {
                return 1;
            }
        }));

        Assert.True(missed.Sum() == 0, $"{missed.Sum()} of {Connections} started connections missed the event sent right after the start.");
    }
}
