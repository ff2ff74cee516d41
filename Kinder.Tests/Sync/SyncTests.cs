using System.Net;
using System.Net.Http.Json;
using Kinder.Core.Events;
using Kinder.Tests.Chat;
using Kinder.Tests.Events;
using Kinder.Tests.Friends;
using Kinder.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Kinder.Tests.Sync;

/// <summary><c>GET /sync</c> with the reference client: after being offline it ends with exactly the server's state.</summary>
public sealed class SyncTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task A_client_back_from_offline_ends_with_exactly_the_servers_state_in_one_sync()
    {
        var (user, userClient) = await api.CreateChatUserAsync("Una");
        var (olga, olgaClient) = await api.CreateChatUserAsync("Olga");
        var (piet, pietClient) = await api.CreateChatUserAsync("Piet");
        var direct = await userClient.DirectAsync(olga.Id);
        var group = await userClient.GroupAsync("Climbers", olga.Id, piet.Id);
        var other = await olgaClient.GroupAsync("Runners", user.Id, piet.Id);
        var rescheduled = (await olgaClient.CreateEventAsync(EventsDriver.ValidEvent())).GetProperty("id").GetGuid();
        var cancelled = (await pietClient.CreateEventAsync(EventsDriver.ValidEvent())).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await userClient.AttendAsync(rescheduled, "going")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await userClient.AttendAsync(cancelled, "interested")).StatusCode);
        await olgaClient.BefriendAsync(userClient, user.Id);
        var client = new SyncClient(userClient);
        await client.SyncAsync();
        var callsBefore = client.SyncCalls;

        // Offline: 200 messages in 3 conversations (written concurrently), the user reads some on another device,
        // 2 events change, and 5 invites arrive (their notifications come from Workers, which this host does not run:
        // SyncNotificationsTests shows them in the sync).
        await Task.WhenAll(
            WriteAsync(direct, olga.Id, 70),
            WriteAsync(group, piet.Id, 60),
            WriteAsync(other, olga.Id, 70));
        Assert.Equal(HttpStatusCode.NoContent,
            (await userClient.PutAsJsonAsync($"/api/v1/conversations/{group}/read", new { seq = 25 })).StatusCode);
        var moved = EventsDriver.ValidEvent();
        moved["startsAt"] = DateTimeOffset.UtcNow.AddDays(5).ToString("O");
        moved["endsAt"] = DateTimeOffset.UtcNow.AddDays(5).AddHours(2).ToString("O");
        Assert.Equal(HttpStatusCode.OK, (await olgaClient.PutAsJsonAsync($"/api/v1/events/{rescheduled}", moved)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await pietClient.DeleteAsync($"/api/v1/events/{cancelled}")).StatusCode);
        var invitedTo = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            var eventId = (await olgaClient.CreateEventAsync(EventsDriver.ValidEvent(visibility: "private")))
                .GetProperty("id").GetGuid();
            Assert.Equal(HttpStatusCode.Accepted, (await olgaClient.InviteAsync(eventId, user.Id)).StatusCode);
            invitedTo.Add(eventId);
        }

        await client.SyncAsync();

        Assert.Equal(1, client.SyncCalls - callsBefore);
        await AssertMatchesServerAsync(client, user.Id);
        Assert.Equal(200, client.Conversations.Values.Sum(c => c.Messages.Count));
        Assert.Equal("cancelled", client.Events[cancelled].Status);
        Assert.All(invitedTo, id => Assert.Null(client.Events[id].MyStatus));
    }

    [Fact]
    public async Task Paging_through_sync_while_messages_and_answers_keep_coming_misses_nothing()
    {
        var (user, userClient) = await api.CreateChatUserAsync("Una");
        var (olga, olgaClient) = await api.CreateChatUserAsync("Olga");
        var conversations = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            conversations.Add(await userClient.GroupAsync($"Group {i}", olga.Id));
        }
        var events = new List<Guid>();
        for (var i = 0; i < 4; i++)
        {
            var eventId = (await olgaClient.CreateEventAsync(EventsDriver.ValidEvent())).GetProperty("id").GetGuid();
            await userClient.AttendAsync(eventId, "interested");
            events.Add(eventId);
        }
        var client = new SyncClient(userClient, pageSize: 2);

        var writes = Task.Run(async () =>
        {
            for (var round = 0; round < 10; round++)
            {
                await Task.WhenAll(conversations.Select(id => WriteAsync(id, olga.Id, 3)));
                await userClient.AttendAsync(events[round % events.Count], round % 2 == 0 ? "going" : "interested");
            }
        });
        while (!writes.IsCompleted)
        {
            await client.SyncAsync();
        }
        await writes;
        await client.SyncAsync();

        await AssertMatchesServerAsync(client, user.Id);
        Assert.Equal(150, client.Conversations.Values.Sum(c => c.Messages.Count));
    }

    [Fact]
    public async Task A_gap_seen_live_is_filled_from_the_server()
    {
        var (user, userClient) = await api.CreateChatUserAsync("Una");
        var (olga, _) = await api.CreateChatUserAsync("Olga");
        var conversation = await userClient.DirectAsync(olga.Id);
        var client = new SyncClient(userClient);
        await client.SyncAsync();
        var messages = await api.PersistMessagesAsync(conversation, olga.Id, 3);

        await client.OnLiveMessageAsync(conversation, messages[0].Seq, messages[0].Id);
        await client.OnLiveMessageAsync(conversation, messages[2].Seq, messages[2].Id);

        Assert.Equal(messages.Select(m => (m.Seq, m.Id)), client.Conversations[conversation].Messages);
        Assert.Equal(1, client.MessageFetches);
    }

    [Fact]
    public async Task A_sync_sends_what_changed_not_everything()
    {
        var (_, userClient) = await api.CreateChatUserAsync("Una");
        var (olga, _) = await api.CreateChatUserAsync("Olga");

        await AssertTheNextSyncSendsWhatChangedAsync(userClient, olga.Id);
    }

    [Fact]
    public async Task A_change_whose_transaction_began_before_a_sync_and_committed_after_it_comes_in_the_next()
    {
        var (user, userClient) = await api.CreateChatUserAsync("Una");
        var (olga, _) = await api.CreateChatUserAsync("Olga");
        var group = await userClient.GroupAsync("Climbers", olga.Id);
        // A writer in this database has its transaction id before the sync reads, and writes and commits after. A later
        // transaction commits in between, so the writer is among those the sync's snapshot sees running.
        await using var writer = new NpgsqlConnection(api.DatabaseConnectionString);
        await writer.OpenAsync();
        await using var late = await writer.BeginTransactionAsync();
        await using (var begin = new NpgsqlCommand("SELECT pg_current_xact_id()", writer, late))
            await begin.ExecuteScalarAsync();
        await userClient.GroupAsync("Runners", olga.Id);
        var client = new SyncClient(userClient);
        await client.SyncAsync();
        Assert.Equal(0, client.Conversations[group].UnreadCount);

        await using (var write = new NpgsqlCommand(
            "UPDATE conversation_members SET unread_count = 5 WHERE conversation_id = @c AND user_id = @u", writer, late))
        {
            write.Parameters.AddWithValue("c", group);
            write.Parameters.AddWithValue("u", user.Id);
            Assert.Equal(1, await write.ExecuteNonQueryAsync());
        }
        await late.CommitAsync();
        await client.SyncAsync();

        Assert.Equal(5, client.Conversations[group].UnreadCount);
    }

    [Fact]
    public async Task A_long_transaction_in_another_database_does_not_make_a_sync_send_everything_again()
    {
        var (_, userClient) = await api.CreateChatUserAsync("Una");
        var (olga, _) = await api.CreateChatUserAsync("Olga");
        // Another database on the same server (another service, or another test class) writes in a transaction that
        // stays open across everything below. Transaction ids are the server's, not the database's.
        await using var elsewhere = new NpgsqlConnection(TestServers.PostgresAdmin);
        await elsewhere.OpenAsync();
        await using var open = await elsewhere.BeginTransactionAsync();
        await using var begin = new NpgsqlCommand("SELECT pg_current_xact_id()::text::bigint", elsewhere, open);
        var elsewhereXid = (long)(await begin.ExecuteScalarAsync())!;

        await AssertTheNextSyncSendsWhatChangedAsync(userClient, olga.Id);

        Assert.True(await IsRunningAsync(elsewhereXid), "the other database's transaction ended before the syncs");
    }

    [Fact]
    public async Task An_unknown_cursor_is_a_validation_error()
    {
        var (_, userClient) = await api.CreateChatUserAsync("Una");

        var response = await userClient.GetAsync("/api/v1/sync?since=bm90LWEtY3Vyc29y");

        await response.AssertFieldErrorAsync("since");
    }

    [Fact]
    public async Task Leaving_a_group_is_synced_as_left()
    {
        var (user, userClient) = await api.CreateChatUserAsync("Una");
        var (olga, olgaClient) = await api.CreateChatUserAsync("Olga");
        var group = await olgaClient.GroupAsync("Climbers", user.Id);
        var client = new SyncClient(userClient);
        await client.SyncAsync();
        Assert.Contains(group, client.Conversations.Keys);

        var removed = await olgaClient.DeleteAsync($"/api/v1/conversations/{group}/members/{user.Id}");
        await client.SyncAsync();

        Assert.True(removed.IsSuccessStatusCode, await removed.Content.ReadAsStringAsync());
        Assert.DoesNotContain(group, client.Conversations.Keys);
    }

    /// <summary>20 groups with <paramref name="memberId"/>, a full sync, a message in the eighth: the next sync sends
    /// that group and not all twenty.</summary>
    private async Task AssertTheNextSyncSendsWhatChangedAsync(HttpClient userClient, Guid memberId)
    {
        var groups = new List<Guid>();
        for (var i = 0; i < 20; i++)
        {
            groups.Add(await userClient.GroupAsync($"Group {i}", memberId));
        }
        var first = await userClient.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/sync");
        var cursor = Uri.EscapeDataString(first.GetProperty("cursor").GetString()!);
        await api.PersistMessagesAsync(groups[7], memberId, 1);

        var next = await userClient.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/v1/sync?since={cursor}");

        Assert.Equal(20, first.GetProperty("conversations").GetArrayLength());
        var changed = next.GetProperty("conversations").EnumerateArray().Select(c => c.GetProperty("id").GetGuid()).ToList();
        Assert.Contains(groups[7], changed);
        // Writes that were still committing at the last read may come again (SyncSql); the rest does not.
        Assert.True(changed.Count < 20, $"{changed.Count} of 20 sent again");
    }

    private async Task<bool> IsRunningAsync(long xid)
    {
        await using var connection = new NpgsqlConnection(api.DatabaseConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT pg_visible_in_snapshot(@xid::text::xid8, pg_current_snapshot()) = false", connection);
        command.Parameters.AddWithValue("xid", xid);
        return (bool)(await command.ExecuteScalarAsync())!;
    }

    private Task WriteAsync(Guid conversationId, Guid senderId, int count) =>
        Task.Run(async () =>
        {
            for (var written = 0; written < count; written += 10)
            {
                await api.PersistMessagesAsync(conversationId, senderId, Math.Min(10, count - written));
            }
        });

    /// <summary>Every message once and in order, and the counters and events exactly as the database holds them.</summary>
    private async Task AssertMatchesServerAsync(SyncClient client, Guid userId)
    {
        await using var db = TestDatabases.CreateContext(api.DatabaseConnectionString);
        var memberships = await db.ConversationMembers.AsNoTracking()
            .Where(m => m.UserId == userId && m.LeftAt == null).ToListAsync();
        Assert.Equal(memberships.Select(m => m.ConversationId).Order(), client.Conversations.Keys.Order());
        foreach (var member in memberships)
        {
            var held = client.Conversations[member.ConversationId];
            var messages = await db.Messages.AsNoTracking().Where(m => m.ConversationId == member.ConversationId)
                .OrderBy(m => m.Seq).Select(m => new { m.Seq, m.Id }).ToListAsync();
            Assert.Equal(messages.Select(m => (m.Seq, m.Id)), held.Messages);
            Assert.Equal(member.UnreadCount, held.UnreadCount);
            Assert.Equal(member.LastReadSeq, held.LastReadSeq);
            Assert.Equal(messages.Count == 0 ? 0 : messages[^1].Seq, held.LastSeq);
        }
        var attendances = await db.EventAttendances.AsNoTracking().Where(a => a.UserId == userId).ToListAsync();
        var invites = await db.EventInvites.AsNoTracking().Where(i => i.InviteeId == userId).Select(i => i.EventId)
            .ToListAsync();
        var eventIds = attendances.Select(a => a.EventId).Union(invites)
            .Union(await db.Events.Where(e => e.OrganizerId == userId).Select(e => e.Id).ToListAsync()).ToList();
        var events = await db.Events.AsNoTracking().Where(e => eventIds.Contains(e.Id)).ToListAsync();
        Assert.Equal(eventIds.Order(), client.Events.Keys.Order());
        foreach (var @event in events)
        {
            var held = client.Events[@event.Id];
            Assert.Equal(@event.Status == EventStatus.Cancelled ? "cancelled" : "published", held.Status);
            Assert.Equal(@event.UpdatedAt, held.UpdatedAt);
            var mine = attendances.SingleOrDefault(a => a.EventId == @event.Id)?.Status;
            Assert.Equal(mine switch
            {
                null => null,
                AttendanceStatus.NotGoing => "not_going",
                var status => status.ToString()!.ToLowerInvariant(),
            }, held.MyStatus);
        }
    }
}
