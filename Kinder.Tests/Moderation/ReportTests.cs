using System.Net;
using System.Net.Http.Json;
using Kinder.Core.Moderation;
using Kinder.Tests.Chat;
using Kinder.Tests.Events;
using Kinder.Tests.Infrastructure;
using Kinder.Tests.Sync;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;

namespace Kinder.Tests.Moderation;

/// <summary>Reports, the moderation queue, and what remove_content takes out of every read path.</summary>
public sealed class ReportTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task A_second_report_on_the_same_target_answers_the_open_one_and_the_reported_never_sees_reports()
    {
        var (reporter, reporterClient) = await api.CreateChatUserAsync("Rita");
        var (reported, reportedClient) = await api.CreateChatUserAsync("Bob");

        var first = await reporterClient.ReportAsync("user", reported.Id);
        var again = await reporterClient.ReportAsync("user", reported.Id, expected: HttpStatusCode.OK);

        Assert.Equal(first, again);
        // The queue is moderators' only: the reported person (or anyone else) gets 403.
        var queue = await reportedClient.GetAsync("/api/v1/admin/moderation/reports");
        await queue.AssertProblemAsync(HttpStatusCode.Forbidden, Kinder.Core.ErrorCodes.Forbidden);
        var self = await reporterClient.PostAsJsonAsync("/api/v1/reports",
            new { targetType = "user", targetId = reporter.Id, reason = "spam" });
        Assert.Equal(HttpStatusCode.BadRequest, self.StatusCode);
    }

    [Fact]
    public async Task The_queue_groups_reports_by_target_most_reported_first()
    {
        var (_, moderator) = await api.CreateStaffAsync("moderator");
        var (once, _) = await api.CreateChatUserAsync("Once");
        var (twice, _) = await api.CreateChatUserAsync("Twice");
        await (await api.CreateChatUserAsync("A")).Client.ReportAsync("user", once.Id);
        await (await api.CreateChatUserAsync("B")).Client.ReportAsync("user", twice.Id);
        await (await api.CreateChatUserAsync("C")).Client.ReportAsync("user", twice.Id);

        var page = await moderator.GetJsonAsync("/api/v1/admin/moderation/reports?status=open&limit=100");

        var targets = page.GetProperty("items").EnumerateArray()
            .Select(item => (item.GetProperty("targetId").GetGuid(), item.GetProperty("count").GetInt32())).ToList();
        Assert.Contains((twice.Id, 2), targets);
        Assert.Contains((once.Id, 1), targets);
        Assert.True(targets.FindIndex(t => t.Item1 == twice.Id) < targets.FindIndex(t => t.Item1 == once.Id));
    }

    [Fact]
    public async Task Removing_a_message_takes_it_out_of_history_and_the_other_members_next_sync_but_moderators_see_its_context()
    {
        var (_, moderator) = await api.CreateStaffAsync("moderator");
        var (una, unaClient) = await api.CreateChatUserAsync("Una");
        var (olga, _) = await api.CreateChatUserAsync("Olga");
        var conversation = await unaClient.DirectAsync(olga.Id);
        var messages = await api.PersistMessagesAsync(conversation, olga.Id, 5);
        var abusive = messages[2];
        var sync = new SyncClient(unaClient);
        await sync.SyncAsync();
        Assert.Equal(5, sync.Conversations[conversation].UnreadCount);
        var reportId = await unaClient.ReportAsync("message", abusive.Id);

        var context = await moderator.GetJsonAsync($"/api/v1/admin/moderation/reports/{reportId}/context");
        await moderator.ResolveAsync(reportId, "remove_content");

        Assert.Contains(context.GetProperty("messages").EnumerateArray(),
            m => m.GetProperty("reported").GetBoolean() && m.GetProperty("body").GetString() == abusive.Body);
        var history = await unaClient.GetJsonAsync($"/api/v1/conversations/{conversation}/messages?limit=100");
        var removed = history.GetProperty("items").EnumerateArray().Single(m => m.GetProperty("id").GetGuid() == abusive.Id);
        Assert.False(removed.TryGetProperty("body", out var body) && body.ValueKind == System.Text.Json.JsonValueKind.String);
        Assert.True(removed.TryGetProperty("deletedAt", out _));
        await sync.SyncAsync();
        Assert.Equal(4, sync.Conversations[conversation].UnreadCount);
        Assert.Equal(1, await api.AuditCountAsync(AuditActions.ContentRemoved, abusive.Id));
        Assert.Equal(1, await api.AuditCountAsync(AuditActions.ReportResolved, reportId));
    }

    [Fact]
    public async Task Removing_an_event_takes_it_out_of_search_discovery_and_detail()
    {
        var (_, moderator) = await api.CreateStaffAsync("moderator");
        var (latitude, longitude) = (Random.Shared.NextDouble() * 100 - 50, Random.Shared.NextDouble() * 300 - 150);
        var word = $"zq{Guid.NewGuid():N}"[..12];
        var body = EventsDriver.ValidEvent();
        body["title"] = $"Sunrise {word}";
        body["location"] = new { latitude, longitude, address = "Hill", city = "Somewhere" };
        var (_, _, eventId) = await api.CreateOrganizedEventAsync(body);
        var viewer = await api.CreateUserAsync(u => u.Location = new Point(longitude, latitude) { SRID = 4326 });
        var viewerClient = api.CreateClientFor(viewer);
        Assert.Equal(HttpStatusCode.OK, (await viewerClient.AttendAsync(eventId, "going")).StatusCode);
        Assert.Contains(eventId, await SearchIdsAsync(viewerClient, word));
        Assert.Contains(eventId, await DiscoverIdsAsync(viewerClient));
        var reportId = await viewerClient.ReportAsync("event", eventId, "scam");

        await moderator.ResolveAsync(reportId, "remove_content");

        Assert.DoesNotContain(eventId, await SearchIdsAsync(viewerClient, word));
        Assert.DoesNotContain(eventId, await DiscoverIdsAsync(viewerClient));
        Assert.Equal(HttpStatusCode.NotFound, (await viewerClient.GetAsync($"/api/v1/events/{eventId}")).StatusCode);
        // Its attendees are told: the ordinary cancellation, and the moderation hook for notifications.
        await using var db = TestDatabases.CreateContext(api.DatabaseConnectionString);
        var key = eventId.ToString();
        var outbox = await db.OutboxMessages.Where(m => m.Key == key).ToListAsync();
        Assert.Contains(outbox, m => m.Topic == Kinder.Messaging.Topics.EventChanges && m.Type == "EventCancelled");
        Assert.Contains(outbox, m => m.Topic == Kinder.Messaging.Topics.Moderation && m.Type == "EventRemoved"
            && m.Payload.Contains(viewer.Id.ToString()));
    }

    private static async Task<List<Guid>> SearchIdsAsync(HttpClient client, string word) =>
        (await client.GetJsonAsync($"/api/v1/events/search?q={word}")).GetProperty("items").EnumerateArray()
            .Select(item => item.GetProperty("id").GetGuid()).ToList();

    private static async Task<List<Guid>> DiscoverIdsAsync(HttpClient client) =>
        (await client.GetJsonAsync("/api/v1/events/discover?limit=50")).GetProperty("items").EnumerateArray()
            .Select(item => item.GetProperty("event").GetProperty("id").GetGuid()).ToList();
}
