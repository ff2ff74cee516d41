using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kinder.Core.Chat;
using Kinder.Core.Friends;
using Kinder.Core.Notifications;
using Kinder.Messaging;
using Kinder.Tests.Chat;
using Kinder.Tests.Events;
using Kinder.Tests.Infrastructure;
using Kinder.Tests.Realtime;
using Kinder.Realtime.Hubs;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Tests.Notifications;

/// <summary>
/// Domain events become notifications once, reach the feed, the user's hub connections and <c>notifications.push</c>
/// as the settings allow; chat notifications wait for the delay and respect reads and presence; quiet hours hold pushes.
/// </summary>
public sealed class NotificationPipelineTests(NotificationsStack stack) : IClassFixture<NotificationsStack>
{
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task An_rsvp_gives_the_organizer_one_feed_notification_one_hub_event_and_one_push_request()
    {
        var (organizer, organizerClient, eventId) = await stack.Api.CreateOrganizedEventAsync(EventsDriver.ValidEvent());
        var (attendee, attendeeClient) = await stack.Api.CreateChatUserAsync("Ana Attendee");
        await using var connection = await stack.Realtime.ConnectAsync(organizer);
        var hub = new ServerEventLog(connection);

        (await attendeeClient.AttendAsync(eventId, "going")).EnsureSuccessStatusCode();

        var feed = await UntilAsync(() => FeedAsync(organizerClient), page => page.GetProperty("items").GetArrayLength() > 0,
            "the organizer's feed has the RSVP");
        var item = Assert.Single(feed.GetProperty("items").EnumerateArray());
        Assert.Equal(("rsvp", "Ana Attendee is going."), (item.GetProperty("type").GetString(), item.GetProperty("body").GetString()));
        Assert.Equal(eventId, item.GetProperty("data").GetProperty("eventId").GetGuid());
        Assert.Equal(1, feed.GetProperty("unreadCount").GetInt32());
        var id = item.GetProperty("id").GetGuid();

        var (payload, _) = await hub.WaitAsync(ServerEvents.NotificationNew);
        Assert.Equal(id, payload.GetProperty("notification").GetProperty("id").GetGuid());
        Assert.Equal(1, payload.GetProperty("unreadCount").GetInt32());
        var pushes = stack.ConsumeWithKey(Topics.NotificationsPush, organizer.Id.ToString(), 2, TimeSpan.FromSeconds(5));
        var push = Assert.Single(pushes).Deserialize<PushRequested>();
        Assert.Equal((id, "rsvp", 1, eventId.ToString()), (push.NotificationId, push.Kind, push.Badge, push.Data!["eventId"]));
        Assert.Equal(1, hub.Count(ServerEvents.NotificationNew));
    }

    [Fact]
    public async Task A_redelivered_domain_record_notifies_once()
    {
        var (requester, addressee) = (await stack.Api.CreateUserAsync(u => u.DisplayName = "Rita"), await stack.Api.CreateUserAsync());
        var requested = KafkaEnvelope.Create(new FriendRequestedIntegrationEvent(Guid.NewGuid(), requester.Id, addressee.Id, DateTimeOffset.UtcNow));
        var later = KafkaEnvelope.Create(new FriendRequestedIntegrationEvent(Guid.NewGuid(), requester.Id, addressee.Id, DateTimeOffset.UtcNow));

        await stack.ProduceAsync<FriendRequestedIntegrationEvent>(Topics.Social, addressee.Id.ToString(), requested);
        await stack.ProduceAsync<FriendRequestedIntegrationEvent>(Topics.Social, addressee.Id.ToString(), requested);
        await stack.ProduceAsync<FriendRequestedIntegrationEvent>(Topics.Social, addressee.Id.ToString(), later);

        // One key, one partition: once the third record's notification is there, the first two were handled.
        var rows = await UntilAsync(() => NotificationsOfAsync(addressee.Id), list => list.Count >= 2, "both causes are notified");
        await Task.Delay(Quiet);
        rows = await NotificationsOfAsync(addressee.Id);
        Assert.Equal(2, rows.Count);
        Assert.All(rows, row => Assert.Equal(("friend_request", "Rita wants to be friends."), (row.Type, row.Body)));
        Assert.Equal(2, stack.ConsumeWithKey(Topics.NotificationsPush, addressee.Id.ToString(), 3, Quiet).Count);
    }

    [Fact]
    public async Task A_chat_message_is_pushed_after_the_delay_only_to_members_offline_everywhere()
    {
        var (sender, senderClient) = await stack.Api.CreateChatUserAsync("Sam");
        var (online, _) = await stack.Api.CreateChatUserAsync("Olly");
        var (offline, _) = await stack.Api.CreateChatUserAsync("Otto");
        var conversationId = await senderClient.GroupAsync("Climbing crew", online.Id, offline.Id);
        await using var connection = await stack.Realtime.ConnectAsync(online);
        await stack.WaitOnlineAsync(online.Id);

        var messageId = await SendAsync(senderClient, conversationId, "Who's in for Saturday?");

        await UntilAsync(() => JobCountAsync($"chat:{offline.Id}:{conversationId}"), count => count == 1, "the chat notification is scheduled");
        Assert.Equal(0, await JobCountAsync($"chat:{online.Id}:{conversationId}"));
        Assert.Empty(stack.ConsumeWithKey(Topics.NotificationsPush, offline.Id.ToString(), 1, Quiet));

        stack.Clock.Advance(NotificationsStack.ChatDelay);

        var push = Assert.Single(stack.ConsumeWithKey(Topics.NotificationsPush, offline.Id.ToString(), 2, TimeSpan.FromSeconds(10)))
            .Deserialize<PushRequested>();
        Assert.Equal(("message", "Climbing crew", "Sam: Who's in for Saturday?", messageId, conversationId),
            (push.Kind, push.Title, push.Body, push.MessageId, push.ConversationId));
        Assert.Equal($"conversation:{conversationId}", push.CollapseKey);
        Assert.Empty(stack.ConsumeWithKey(Topics.NotificationsPush, online.Id.ToString(), 1, Quiet));
        Assert.Empty(stack.ConsumeWithKey(Topics.NotificationsPush, sender.Id.ToString(), 1, TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task A_chat_message_read_before_the_delay_is_never_pushed()
    {
        var (_, senderClient) = await stack.Api.CreateChatUserAsync("Sue");
        var (reader, readerClient) = await stack.Api.CreateChatUserAsync("Rae");
        var conversationId = await senderClient.DirectAsync(reader.Id);
        await SendAsync(senderClient, conversationId, "Coffee?");
        await UntilAsync(() => JobCountAsync($"chat:{reader.Id}:{conversationId}"), count => count == 1, "the chat notification is scheduled");

        (await readerClient.PutAsJsonAsync($"/api/v1/conversations/{conversationId}/read", new { seq = 1 })).EnsureSuccessStatusCode();
        stack.Clock.Advance(NotificationsStack.ChatDelay);

        await UntilAsync(() => JobCountAsync($"chat:{reader.Id}:{conversationId}"), count => count == 0, "the due job ran");
        Assert.Empty(await NotificationsOfAsync(reader.Id));
        Assert.Empty(stack.ConsumeWithKey(Topics.NotificationsPush, reader.Id.ToString(), 1, Quiet));
    }

    [Fact]
    public async Task Quiet_hours_hold_a_push_until_they_end()
    {
        var (user, client) = await stack.Api.CreateChatUserAsync("Quinn");
        var requester = await stack.Api.CreateUserAsync(u => u.DisplayName = "Nina");
        var now = stack.Clock.GetUtcNow();
        var end = now.AddHours(2);
        var settings = await client.PutAsJsonAsync("/api/v1/notifications/settings", new
        {
            quietHours = new { start = now.AddHours(-1).ToString("HH:mm"), end = end.ToString("HH:mm"), timeZone = "UTC" },
        });
        Assert.Equal(HttpStatusCode.OK, settings.StatusCode);

        await stack.ProduceAsync<FriendRequestedIntegrationEvent>(Topics.Social, user.Id.ToString(),
            KafkaEnvelope.Create(new FriendRequestedIntegrationEvent(Guid.NewGuid(), requester.Id, user.Id, DateTimeOffset.UtcNow)));

        var rows = await UntilAsync(() => NotificationsOfAsync(user.Id), list => list.Count == 1, "the request is in the feed");
        await using (var db = stack.Db())
        {
            var held = await db.ScheduledJobs.SingleAsync(job => job.Key == $"push:{rows[0].Id}");
            Assert.Equal(ScheduledJobKinds.HeldPush, held.Kind);
            Assert.Equal(new DateTimeOffset(end.Year, end.Month, end.Day, end.Hour, end.Minute, 0, TimeSpan.Zero), held.DueAt);
        }
        Assert.Empty(stack.ConsumeWithKey(Topics.NotificationsPush, user.Id.ToString(), 1, Quiet));

        stack.Clock.Advance(TimeSpan.FromHours(2));

        var push = Assert.Single(stack.ConsumeWithKey(Topics.NotificationsPush, user.Id.ToString(), 2, TimeSpan.FromSeconds(10)));
        Assert.Equal(rows[0].Id, push.Deserialize<PushRequested>().NotificationId);
    }

    private static async Task<Guid> SendAsync(HttpClient client, Guid conversationId, string body)
    {
        var response = await client.PostAsJsonAsync($"/api/v1/conversations/{conversationId}/messages",
            new { clientMessageId = Guid.NewGuid().ToString("N"), type = "text", body });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, text);
        return JsonDocument.Parse(text).RootElement.GetProperty("id").GetGuid();
    }

    private static async Task<JsonElement> FeedAsync(HttpClient client, string query = "")
    {
        var response = await client.GetAsync("/api/v1/notifications" + query);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement;
    }

    private async Task<List<Notification>> NotificationsOfAsync(Guid userId)
    {
        await using var db = stack.Db();
        return await db.Notifications.AsNoTracking().Where(n => n.UserId == userId).ToListAsync();
    }

    private async Task<int> JobCountAsync(string key)
    {
        await using var db = stack.Db();
        return await db.ScheduledJobs.CountAsync(job => job.Key == key);
    }

    internal static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var value = await read();
            if (done(value))
                return value;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Timed out waiting until {what}.");
            await Task.Delay(100);
        }
    }
}
