using System.Net.Http.Json;
using Kinder.Core.Chat;
using Kinder.Core.Events;
using Kinder.Core.PersonalData;
using Kinder.Tests.Events;
using Kinder.Tests.Events.Discovery;
using Kinder.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kinder.Tests.Chat;

/// <summary>Every event has its discussion; discovery counts the people you talk to and leaves out blocked organizers.</summary>
public sealed class EventDiscussionTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Creating_an_event_creates_its_discussion_owned_by_the_organizer_and_read_only_after_it_ends()
    {
        var (organizer, client, eventId) = await api.CreateOrganizedEventAsync(EventsDriver.ValidEvent());

        var @event = await (await client.GetAsync($"/api/v1/events/{eventId}")).ReadJsonAsync();

        var conversationId = @event.GetProperty("conversationId").GetGuid();
        var discussion = await (await client.GetAsync($"/api/v1/conversations/{conversationId}")).ReadJsonAsync();
        Assert.Equal("event", discussion.GetProperty("type").GetString());
        Assert.Equal(eventId, discussion.GetProperty("eventId").GetGuid());
        Assert.Equal(organizer.Id, discussion.GetProperty("ownerId").GetGuid());
        Assert.Equal("Sunrise hike", discussion.GetProperty("title").GetString());
        Assert.Equal("owner", discussion.GetProperty("members")[0].GetProperty("role").GetString());
        await using var db = TestDatabases.CreateContext(api.DatabaseConnectionString);
        var stored = await db.Conversations.SingleAsync(c => c.Id == conversationId);
        Assert.Equal(DateTimeOffset.Parse(@event.GetProperty("endsAt").GetString()!), stored.ReadOnlyAfter);
    }

    [Fact]
    public async Task Cancelling_an_event_makes_its_discussion_read_only()
    {
        var (_, client, eventId) = await api.CreateOrganizedEventAsync(EventsDriver.ValidEvent());
        var conversationId = (await (await client.GetAsync($"/api/v1/events/{eventId}")).ReadJsonAsync())
            .GetProperty("conversationId").GetGuid();

        (await client.DeleteAsync($"/api/v1/events/{eventId}")).EnsureSuccessStatusCode();

        var discussion = await (await client.GetAsync($"/api/v1/conversations/{conversationId}")).ReadJsonAsync();
        Assert.True(discussion.GetProperty("readOnly").GetBoolean());
    }

    [Fact]
    public async Task Erasing_an_organizer_makes_their_events_discussions_read_only()
    {
        var (organizer, client, eventId) = await api.CreateOrganizedEventAsync(EventsDriver.ValidEvent());

        using (var scope = api.Services.CreateScope())
        {
            var source = scope.ServiceProvider.GetServices<IPersonalDataSource>().OfType<EventsPersonalDataSource>().Single();
            await source.EraseAsync(organizer.Id, default);
        }

        await using var db = TestDatabases.CreateContext(api.DatabaseConnectionString);
        var discussion = await db.Conversations.SingleAsync(c => c.EventId == eventId);
        Assert.True(discussion.IsReadOnlyAt(DateTimeOffset.UtcNow));
        _ = client;
    }

    [Fact]
    public async Task Moving_an_events_end_moves_when_its_discussion_becomes_read_only()
    {
        var body = EventsDriver.ValidEvent();
        var (_, client, eventId) = await api.CreateOrganizedEventAsync(body);
        var endsAt = DateTimeOffset.UtcNow.AddDays(3).AddHours(5);
        body["endsAt"] = endsAt.ToString("O");
        body["title"] = "Sunrise hike, longer";

        (await client.PutAsJsonAsync($"/api/v1/events/{eventId}", body)).EnsureSuccessStatusCode();

        await using var db = TestDatabases.CreateContext(api.DatabaseConnectionString);
        var discussion = await db.Conversations.SingleAsync(c => c.EventId == eventId);
        Assert.Equal("Sunrise hike, longer", discussion.Title);
        Assert.Equal(endsAt.UtcTicks / 10, discussion.ReadOnlyAfter!.Value.UtcTicks / 10);
    }

    [Fact]
    public async Task An_event_from_before_chat_has_no_conversation_id_yet()
    {
        var scene = new DiscoveryScene(api);
        var eventId = await scene.StartedEventAsync("Old event");
        var (_, client) = await scene.UserAsync();

        var @event = await (await client.GetAsync($"/api/v1/events/{eventId}")).ReadJsonAsync();

        Assert.False(@event.TryGetProperty("conversationId", out _));
    }

    [Fact]
    public async Task Discovery_counts_the_people_you_share_a_conversation_with_who_are_going()
    {
        var scene = new DiscoveryScene(api);
        var (viewer, viewerClient) = await scene.UserAsync();
        var eventId = await scene.EventAsync("Board games night");
        for (var i = 0; i < 2; i++)
        {
            var (friend, friendClient) = await api.CreateChatUserAsync($"Friend {i}");
            await viewerClient.DirectAsync(friend.Id);
            (await friendClient.AttendAsync(eventId, "going")).EnsureSuccessStatusCode();
        }
        await scene.GoingAsync(eventId, 1);

        var item = DiscoveryScene.Item(await DiscoveryScene.FeedAsync(viewerClient), eventId);

        Assert.Contains("2 people you talk to going", DiscoveryScene.Reasons(item));
        _ = viewer;
    }

    [Fact]
    public async Task Discovery_leaves_out_events_of_organizers_blocked_either_way()
    {
        var scene = new DiscoveryScene(api);
        var (viewer, viewerClient) = await scene.UserAsync();
        var (blockedOrganizer, blockedClient) = await api.CreateChatUserAsync("Blocked");
        var (blockingOrganizer, blockingClient) = await api.CreateChatUserAsync("Blocking");
        var hidden = await scene.EventAsync("By someone I blocked", organizer: blockedClient);
        var alsoHidden = await scene.EventAsync("By someone who blocked me", organizer: blockingClient);
        var shown = await scene.EventAsync("By someone else");
        (await viewerClient.PostAsync($"/api/v1/users/{blockedOrganizer.Id}/block", null)).EnsureSuccessStatusCode();
        (await blockingClient.PostAsync($"/api/v1/users/{viewer.Id}/block", null)).EnsureSuccessStatusCode();

        var ids = DiscoveryScene.Ids(await DiscoveryScene.FeedAsync(viewerClient));

        Assert.Contains(shown, ids);
        Assert.DoesNotContain(hidden, ids);
        Assert.DoesNotContain(alsoHidden, ids);
        _ = blockingOrganizer;
    }
}
