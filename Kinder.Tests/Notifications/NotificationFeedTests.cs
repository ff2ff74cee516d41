using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kinder.Core.Notifications;
using Kinder.Tests.Chat;
using Kinder.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Kinder.Tests.Notifications;

/// <summary>The feed (paging, read, read-all, delete, unread count) and the settings, through the Api.</summary>
public sealed class NotificationFeedTests(NotificationsStack stack) : IClassFixture<NotificationsStack>
{
    [Fact]
    public async Task The_feed_pages_newest_first_and_a_new_notification_does_not_shift_the_pages()
    {
        var (user, client) = await stack.Api.CreateChatUserAsync("Fay");
        for (var i = 1; i <= 5; i++)
            await NotifyAsync(user.Id, $"n{i}");

        var first = await GetAsync(client, "?limit=2");
        Assert.Equal(["n5", "n4"], Titles(first));
        Assert.Equal(5, first.GetProperty("unreadCount").GetInt32());
        await NotifyAsync(user.Id, "n6"); // arrives while the client pages
        var second = await GetAsync(client, $"?limit=2&cursor={first.GetProperty("nextCursor").GetString()}");
        Assert.Equal(["n3", "n2"], Titles(second));
        var third = await GetAsync(client, $"?limit=2&cursor={second.GetProperty("nextCursor").GetString()}");
        Assert.Equal(["n1"], Titles(third));
        Assert.False(third.TryGetProperty("nextCursor", out var none) && none.ValueKind != JsonValueKind.Null);
        Assert.Equal(6, third.GetProperty("unreadCount").GetInt32());
    }

    [Fact]
    public async Task Read_read_all_and_delete_change_the_feed_and_the_unread_count()
    {
        var (user, client) = await stack.Api.CreateChatUserAsync("Ray");
        var (_, other) = await stack.Api.CreateChatUserAsync("Ozzy");
        for (var i = 1; i <= 3; i++)
            await NotifyAsync(user.Id, $"n{i}");
        var ids = (await GetAsync(client, "")).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()).ToList();

        Assert.Equal(HttpStatusCode.NotFound, (await other.PutAsync($"/api/v1/notifications/{ids[0]}/read", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await client.PutAsync($"/api/v1/notifications/{ids[0]}/read", null)).StatusCode);
        var page = await GetAsync(client, "?unreadOnly=true");
        Assert.Equal(["n2", "n1"], Titles(page));
        Assert.Equal(2, page.GetProperty("unreadCount").GetInt32());

        Assert.Equal(HttpStatusCode.NotFound, (await other.DeleteAsync($"/api/v1/notifications/{ids[1]}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/v1/notifications/{ids[1]}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync($"/api/v1/notifications/{ids[1]}")).StatusCode);
        Assert.Equal(["n3", "n1"], Titles(await GetAsync(client, "")));

        Assert.Equal(HttpStatusCode.NoContent, (await client.PutAsync("/api/v1/notifications/read-all", null)).StatusCode);
        page = await GetAsync(client, "");
        Assert.Equal(0, page.GetProperty("unreadCount").GetInt32());
        Assert.All(page.GetProperty("items").EnumerateArray(), item => Assert.NotEqual(JsonValueKind.Null, item.GetProperty("readAt").ValueKind));
        Assert.Empty((await GetAsync(client, "?unreadOnly=true")).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Settings_default_validate_field_by_field_and_round_trip()
    {
        var (_, client) = await stack.Api.CreateChatUserAsync("Seth");
        var defaults = await (await client.GetAsync("/api/v1/notifications/settings")).ReadJsonAsync();
        Assert.Equal(NotificationTypes.All.Count, defaults.GetProperty("types").EnumerateObject().Count());
        Assert.True(defaults.GetProperty("types").GetProperty("rsvp").GetProperty("push").GetBoolean());
        Assert.False(defaults.GetProperty("types").GetProperty("rsvp").GetProperty("email").GetBoolean());
        Assert.False(defaults.TryGetProperty("quietHours", out var quiet) && quiet.ValueKind != JsonValueKind.Null);
        Assert.Equal("off", defaults.GetProperty("digest").GetString());

        var invalid = await client.PutAsJsonAsync("/api/v1/notifications/settings", new
        {
            types = new Dictionary<string, object> { ["nope"] = new { inApp = true, push = true, email = true }, ["rsvp"] = new { inApp = true } },
            quietHours = new { start = "25:00", end = "08:00", timeZone = "Mars/Olympus" },
            digest = "hourly",
        });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var errors = (await invalid.ReadJsonAsync()).GetProperty("errors");
        foreach (var field in new[] { "types.nope", "types.rsvp.push", "types.rsvp.email", "quietHours.start", "quietHours.timeZone", "digest" })
            Assert.True(errors.TryGetProperty(field, out _), $"{field} in {errors}");
        Assert.False(errors.TryGetProperty("quietHours.end", out _));

        var saved = await client.PutAsJsonAsync("/api/v1/notifications/settings", new
        {
            types = new Dictionary<string, object> { ["rsvp"] = new { inApp = true, push = false, email = true } },
            quietHours = new { start = "22:00", end = "07:30", timeZone = "Europe/Madrid" },
            digest = "weekly",
        });
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var read = await (await client.GetAsync("/api/v1/notifications/settings")).ReadJsonAsync();
        Assert.False(read.GetProperty("types").GetProperty("rsvp").GetProperty("push").GetBoolean());
        Assert.True(read.GetProperty("types").GetProperty("rsvp").GetProperty("email").GetBoolean());
        Assert.True(read.GetProperty("types").GetProperty("message").GetProperty("push").GetBoolean());
        Assert.Equal(("22:00", "07:30", "Europe/Madrid"), (read.GetProperty("quietHours").GetProperty("start").GetString(),
            read.GetProperty("quietHours").GetProperty("end").GetString(), read.GetProperty("quietHours").GetProperty("timeZone").GetString()));
        Assert.Equal("weekly", read.GetProperty("digest").GetString());
    }

    [Fact]
    public async Task A_type_with_push_off_and_email_on_is_stored_and_mailed_but_not_pushed()
    {
        var (user, client) = await stack.Api.CreateChatUserAsync("Eve");
        (await client.PutAsJsonAsync("/api/v1/notifications/settings", new
        {
            types = new Dictionary<string, object> { ["broadcast"] = new { inApp = true, push = false, email = true } },
        })).EnsureSuccessStatusCode();

        await NotifyAsync(user.Id, "Maintenance tonight");

        await using var db = stack.Db();
        var outbox = db.OutboxMessages.Where(m => m.Key == user.Id.ToString() || m.Key == user.Email).Select(m => m.Topic).ToList();
        Assert.Contains(Kinder.Messaging.Topics.NotificationsCreated, outbox);
        Assert.Contains(Kinder.Messaging.Topics.Email, outbox);
        Assert.DoesNotContain(Kinder.Messaging.Topics.NotificationsPush, outbox);
    }

    [Fact]
    public async Task Sync_sends_notifications_stored_or_read_since_the_cursor()
    {
        var (user, client) = await stack.Api.CreateChatUserAsync("Syd");
        await NotifyAsync(user.Id, "first");
        await NotifyAsync(user.Id, "second");
        var full = await (await client.GetAsync("/api/v1/sync")).ReadJsonAsync();
        Assert.Equal(["first", "second"], full.GetProperty("notifications").EnumerateArray()
            .Select(n => n.GetProperty("title").GetString()!).Order());
        var cursor = full.GetProperty("cursor").GetString();
        // The contract: an item may come twice (apply by id) — a cursor taken while another transaction on the
        // database was open, such as a Workers pass, reaches back to it. So a sync with nothing new may repeat what
        // the last one sent, as it was, and nothing else.
        var seen = full.GetProperty("notifications").EnumerateArray().Select(n => n.GetProperty("id").GetGuid()).ToHashSet();
        var nothing = await (await client.GetAsync($"/api/v1/sync?since={cursor}")).ReadJsonAsync();
        Assert.All(nothing.GetProperty("notifications").EnumerateArray(), n =>
        {
            Assert.Contains(n.GetProperty("id").GetGuid(), seen);
            Assert.False(n.TryGetProperty("readAt", out var readAt) && readAt.ValueKind != JsonValueKind.Null);
        });

        var firstId = full.GetProperty("notifications").EnumerateArray().Single(n => n.GetProperty("title").GetString() == "first")
            .GetProperty("id").GetGuid();
        (await client.PutAsync($"/api/v1/notifications/{firstId}/read", null)).EnsureSuccessStatusCode();
        await NotifyAsync(user.Id, "third");

        var changed = await (await client.GetAsync($"/api/v1/sync?since={cursor}")).ReadJsonAsync();
        var titles = changed.GetProperty("notifications").EnumerateArray().ToDictionary(n => n.GetProperty("title").GetString()!);
        Assert.Contains("first", titles.Keys);
        Assert.Contains("third", titles.Keys);
        Assert.Subset(new HashSet<string> { "first", "second", "third" }, titles.Keys.ToHashSet());
        if (titles.TryGetValue("second", out var repeated))
            Assert.False(repeated.TryGetProperty("readAt", out var readAt) && readAt.ValueKind != JsonValueKind.Null);
        Assert.Equal(JsonValueKind.String, titles["first"].GetProperty("readAt").ValueKind);
    }

    private async Task NotifyAsync(Guid userId, string title)
    {
        await using var scope = stack.Workers.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<NotificationWriter>().WriteAsync(
            new NotificationCause(NotificationTypes.Broadcast, $"test:{Guid.NewGuid()}", title, "body", new NotificationData()),
            [userId], CancellationToken.None);
    }

    private static async Task<JsonElement> GetAsync(HttpClient client, string query)
    {
        var response = await client.GetAsync("/api/v1/notifications" + query);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement;
    }

    private static List<string> Titles(JsonElement page) =>
        [.. page.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("title").GetString()!)];
}
