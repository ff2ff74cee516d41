using System.Net;
using Kinder.Core;
using Kinder.Tests.Chat;
using Kinder.Tests.Events;
using Kinder.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace Kinder.Tests.Friends;

/// <summary>An Api that allows two friend requests and two invite calls a minute per user.</summary>
public sealed class TightFriendLimitsApiFactory : ApiFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        foreach (var limit in new[] { "RequestRateLimit", "InviteRateLimit" })
        {
            builder.UseSetting($"Friends:{limit}:PermitLimit", "2");
            builder.UseSetting($"Friends:{limit}:Window", "00:01:00");
        }
    }
}

public sealed class FriendRateLimitTests(TightFriendLimitsApiFactory api) : IClassFixture<TightFriendLimitsApiFactory>
{
    [Fact]
    public async Task Past_the_request_budget_a_friend_request_is_429()
    {
        var (_, client) = await api.CreateChatUserAsync("Alice");
        var people = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            people.Add((await api.CreateChatUserAsync($"Person {i}")).User.Id);
        }

        var first = await client.AskAsync(people[0]);
        var second = await client.AskAsync(people[1]);
        var third = await client.AskAsync(people[2]);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        await third.AssertProblemAsync(HttpStatusCode.TooManyRequests, ErrorCodes.RateLimited);
    }

    [Fact]
    public async Task Past_the_invite_budget_an_invite_is_429()
    {
        var (_, organizer) = await api.CreateChatUserAsync("Olga");
        var (friend, friendClient) = await api.CreateChatUserAsync("Fred");
        await organizer.BefriendAsync(friendClient, friend.Id);
        var eventId = (await organizer.CreateEventAsync(EventsDriver.ValidEvent())).GetProperty("id").GetGuid();

        var first = await organizer.InviteAsync(eventId, friend.Id);
        var second = await organizer.InviteAsync(eventId, friend.Id);
        var third = await organizer.InviteAsync(eventId, friend.Id);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        await third.AssertProblemAsync(HttpStatusCode.TooManyRequests, ErrorCodes.RateLimited);
    }
}
