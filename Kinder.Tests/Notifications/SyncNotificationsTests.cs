using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kinder.Core.Notifications;
using Kinder.Tests.Chat;
using Kinder.Tests.Events;
using Kinder.Tests.Friends;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Tests.Notifications;

/// <summary><c>GET /sync</c> with notifications made by Workers: those that arrived, and those read, since the cursor.</summary>
public sealed class SyncNotificationsTests(NotificationsStack stack) : IClassFixture<NotificationsStack>
{
    [Fact]
    public async Task Sync_carries_the_notifications_that_arrived_and_those_read_since_the_cursor()
    {
        var (user, userClient) = await stack.Api.CreateChatUserAsync("Nia");
        var (_, olgaClient) = await stack.Api.CreateChatUserAsync("Olga");
        await olgaClient.BefriendAsync(userClient, user.Id);
        var (_, cursor) = await SyncAsync(userClient, null);

        // Offline: five invites arrive; Workers make five event_invite notifications.
        var invitedTo = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            var eventId = (await olgaClient.CreateEventAsync(EventsDriver.ValidEvent(visibility: "private"))).GetProperty("id").GetGuid();
            Assert.Equal(HttpStatusCode.Accepted, (await olgaClient.InviteAsync(eventId, user.Id)).StatusCode);
            invitedTo.Add(eventId);
        }
        await NotificationPipelineTests.UntilAsync(InvitesAsync, count => count >= 5, "five invite notifications are stored");

        var (arrived, next) = await SyncAsync(userClient, cursor);
        var invites = arrived.Where(n => n.GetProperty("type").GetString() == NotificationTypes.EventInvite).ToList();
        Assert.Equal(5, invites.Select(n => n.GetProperty("id").GetGuid()).Distinct().Count());
        Assert.Equal(invitedTo.Order(), invites.Select(n => n.GetProperty("data").GetProperty("eventId").GetGuid()).Order());
        Assert.All(invites, n => Assert.False(n.TryGetProperty("readAt", out var readAt) && readAt.ValueKind != JsonValueKind.Null));

        // Read on another device: the next sync says so. The others may come again (the contract: an item may come
        // twice, apply by id — a cursor taken while another transaction on the database was open, such as a Workers
        // sweep, reaches back to it), but only as they are: unread.
        var read = invites[0].GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.NoContent, (await userClient.PutAsync($"/api/v1/notifications/{read}/read", null)).StatusCode);
        var (changed, _) = await SyncAsync(userClient, next);
        var changedInvites = changed.Where(n => n.GetProperty("type").GetString() == NotificationTypes.EventInvite).ToList();
        var readNow = Assert.Single(changedInvites, n => n.GetProperty("id").GetGuid() == read);
        Assert.Equal(JsonValueKind.String, readNow.GetProperty("readAt").ValueKind);
        var invited = invites.Select(n => n.GetProperty("id").GetGuid()).ToHashSet();
        Assert.All(changedInvites.Where(n => n.GetProperty("id").GetGuid() != read), n =>
        {
            Assert.Contains(n.GetProperty("id").GetGuid(), invited);
            Assert.False(n.TryGetProperty("readAt", out var readAt) && readAt.ValueKind != JsonValueKind.Null);
        });

        async Task<int> InvitesAsync()
        {
            await using var db = stack.Db();
            return await db.Notifications.CountAsync(n => n.UserId == user.Id && n.Type == NotificationTypes.EventInvite);
        }
    }

    /// <summary>One sync as a client does it (paging until hasMore is false): the notifications and the new cursor.</summary>
    private static async Task<(List<JsonElement> Notifications, string Cursor)> SyncAsync(HttpClient client, string? since)
    {
        var notifications = new List<JsonElement>();
        bool more;
        do
        {
            var page = await client.GetFromJsonAsync<JsonElement>(since is null ? "/api/v1/sync" : $"/api/v1/sync?since={Uri.EscapeDataString(since)}");
            notifications.AddRange(page.GetProperty("notifications").EnumerateArray());
            since = page.GetProperty("cursor").GetString()!;
            more = page.GetProperty("hasMore").GetBoolean();
        } while (more);
        return (notifications, since);
    }
}
