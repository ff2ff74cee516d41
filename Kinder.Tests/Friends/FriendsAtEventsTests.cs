using System.Net.Http.Json;
using System.Text.Json;
using Kinder.Tests.Chat;
using Kinder.Tests.Events;
using Kinder.Tests.Events.Discovery;
using Kinder.Tests.Infrastructure;

namespace Kinder.Tests.Friends;

/// <summary><c>event.friendsGoing</c> and discovery's friends term.</summary>
public sealed class FriendsAtEventsTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task FriendsGoing_counts_only_friends_going_and_follows_their_answers()
    {
        var (_, viewer) = await api.CreateChatUserAsync("Viewer");
        var (first, firstClient) = await api.CreateChatUserAsync("First friend");
        var (second, secondClient) = await api.CreateChatUserAsync("Second friend");
        var (_, stranger) = await api.CreateChatUserAsync("Stranger");
        await firstClient.BefriendAsync(viewer, await ViewerIdAsync(viewer));
        await secondClient.BefriendAsync(viewer, await ViewerIdAsync(viewer));
        var (_, _, eventId) = await api.CreateOrganizedEventAsync(EventsDriver.ValidEvent());
        await firstClient.AttendAsync(eventId, "going");
        await secondClient.AttendAsync(eventId, "interested");
        await stranger.AttendAsync(eventId, "going");

        var before = await FriendsGoingAsync(viewer, eventId);
        await secondClient.AttendAsync(eventId, "going");
        await firstClient.AttendAsync(eventId, "not_going");
        var after = await FriendsGoingAsync(viewer, eventId);

        Assert.Equal(1, before.Count);
        Assert.Equal([first.Id], before.Sample);
        Assert.Equal(1, after.Count);
        Assert.Equal([second.Id], after.Sample);
    }

    [Fact]
    public async Task Search_results_carry_friendsGoing_too()
    {
        var (_, viewer) = await api.CreateChatUserAsync("Viewer");
        var (friend, friendClient) = await api.CreateChatUserAsync("Friend");
        await friendClient.BefriendAsync(viewer, await ViewerIdAsync(viewer));
        var body = EventsDriver.ValidEvent();
        var title = "Friendsgoingsearch " + Guid.NewGuid().ToString("N")[..8];
        body["title"] = title;
        var (_, _, eventId) = await api.CreateOrganizedEventAsync(body);
        await friendClient.AttendAsync(eventId, "going");

        var page = await viewer.GetFromJsonAsync<JsonElement>($"/api/v1/events/search?q={Uri.EscapeDataString(title)}");

        var item = page.GetProperty("items").EnumerateArray().Single(e => e.GetProperty("id").GetGuid() == eventId);
        Assert.Equal(1, item.GetProperty("friendsGoing").GetProperty("count").GetInt32());
        Assert.Equal(friend.Id, item.GetProperty("friendsGoing").GetProperty("sample")[0].GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task Discovery_ranks_an_event_friends_go_to_higher_and_says_so()
    {
        var scene = new DiscoveryScene(api);
        var (viewer, viewerClient) = await scene.UserAsync();
        var plain = await scene.EventAsync("Plain walk");
        var withFriends = await scene.EventAsync("Walk with friends");
        await scene.GoingAsync(plain, 2);
        for (var i = 0; i < 2; i++)
        {
            var (_, friendClient) = await api.CreateChatUserAsync($"Friend {i}");
            await friendClient.BefriendAsync(viewerClient, viewer.Id);
            await friendClient.AttendAsync(withFriends, "going");
        }

        var feed = await DiscoveryScene.FeedAsync(viewerClient);

        var ids = DiscoveryScene.Ids(feed);
        Assert.True(ids.IndexOf(withFriends) < ids.IndexOf(plain), string.Join(", ", ids));
        var item = DiscoveryScene.Item(feed, withFriends);
        Assert.Equal("2 friends going", DiscoveryScene.Reasons(item)[0]);
        Assert.Equal(2, item.GetProperty("event").GetProperty("friendsGoing").GetProperty("count").GetInt32());
        Assert.DoesNotContain("2 friends going", DiscoveryScene.Reasons(DiscoveryScene.Item(feed, plain)));
    }

    [Fact]
    public async Task The_attendee_list_can_list_only_friends_to_show_them_first()
    {
        var (viewer, viewerClient) = await api.CreateChatUserAsync("Viewer");
        var (friend, friendClient) = await api.CreateChatUserAsync("Friend");
        var (_, stranger) = await api.CreateChatUserAsync("Stranger");
        await friendClient.BefriendAsync(viewerClient, viewer.Id);
        var (_, _, eventId) = await api.CreateOrganizedEventAsync(EventsDriver.ValidEvent());
        await stranger.AttendAsync(eventId, "going");
        await friendClient.AttendAsync(eventId, "going");

        var friends = await viewerClient.IdsAsync($"/api/v1/events/{eventId}/attendees?friends=true");
        var everyone = await viewerClient.IdsAsync($"/api/v1/events/{eventId}/attendees");

        Assert.Equal([friend.Id], friends);
        Assert.Equal(3, everyone.Count);
    }

    private static async Task<Guid> ViewerIdAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonElement>("/api/v1/users/profile")).GetProperty("id").GetGuid();

    private static async Task<(int Count, List<Guid> Sample)> FriendsGoingAsync(HttpClient client, Guid eventId)
    {
        var @event = await client.GetFromJsonAsync<JsonElement>($"/api/v1/events/{eventId}");
        var friendsGoing = @event.GetProperty("friendsGoing");
        return (friendsGoing.GetProperty("count").GetInt32(),
            friendsGoing.GetProperty("sample").EnumerateArray().Select(p => p.GetProperty("id").GetGuid()).ToList());
    }
}
