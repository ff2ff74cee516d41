using System.Net;
using System.Net.Http.Json;
using Kinder.Core;
using Kinder.Core.Chat;
using Kinder.Messaging;
using Kinder.Tests.Infrastructure;

namespace Kinder.Tests.Chat;

/// <summary>Direct and group conversations, one conversation, and archiving.</summary>
public sealed class ConversationTests(RelayingApiFactory api) : IClassFixture<RelayingApiFactory>
{
    [Fact]
    public async Task Creating_a_direct_conversation_answers_201_with_both_members_and_a_location()
    {
        var (alice, aliceClient) = await api.CreateChatUserAsync("Alice");
        var (bob, _) = await api.CreateChatUserAsync("Bob");

        var response = await aliceClient.PostAsJsonAsync("/api/v1/conversations", new { type = "direct", memberIds = new[] { bob.Id } });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.ReadJsonAsync();
        var id = body.GetProperty("id").GetGuid();
        Assert.Equal($"/api/v1/conversations/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("direct", body.GetProperty("type").GetString());
        var members = body.GetProperty("members").EnumerateArray().ToList();
        Assert.Equal(new[] { alice.Id, bob.Id }.Order(), members.Select(m => m.GetProperty("id").GetGuid()).Order());
        Assert.Contains(members, m => m.GetProperty("displayName").GetString() == "Bob");
        Assert.Equal(0, body.GetProperty("unreadCount").GetInt32());
        Assert.False(body.GetProperty("archived").GetBoolean());
        Assert.False(body.GetProperty("readOnly").GetBoolean());
    }

    [Fact]
    public async Task Asking_for_an_existing_direct_conversation_again_from_either_side_answers_200_with_the_same_one()
    {
        var (alice, aliceClient) = await api.CreateChatUserAsync("Alice");
        var (bob, bobClient) = await api.CreateChatUserAsync("Bob");
        var first = await aliceClient.DirectAsync(bob.Id);

        var again = await aliceClient.CreateConversationAsync("direct", [bob.Id], expected: HttpStatusCode.OK);
        var fromBob = await bobClient.CreateConversationAsync("direct", [alice.Id], expected: HttpStatusCode.OK);

        Assert.Equal(first, again.GetProperty("id").GetGuid());
        Assert.Equal(first, fromBob.GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task Two_people_opening_their_direct_conversation_at_once_get_one_conversation()
    {
        var (alice, aliceClient) = await api.CreateChatUserAsync("Alice");
        var (bob, bobClient) = await api.CreateChatUserAsync("Bob");

        var responses = await Task.WhenAll(
            Enumerable.Range(0, 4).Select(i => (i % 2 == 0 ? aliceClient : bobClient).PostAsJsonAsync("/api/v1/conversations",
                new { type = "direct", memberIds = new[] { i % 2 == 0 ? bob.Id : alice.Id } })));

        var ids = new HashSet<Guid>();
        foreach (var response in responses)
        {
            Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
            ids.Add((await response.ReadJsonAsync()).GetProperty("id").GetGuid());
        }
        Assert.Single(ids);
    }

    [Fact]
    public async Task A_direct_conversation_with_someone_who_blocked_you_is_refused_with_USER_BLOCKED()
    {
        var (alice, aliceClient) = await api.CreateChatUserAsync("Alice");
        var (bob, bobClient) = await api.CreateChatUserAsync("Bob");
        (await bobClient.PostAsync($"/api/v1/users/{alice.Id}/block", null)).EnsureSuccessStatusCode();

        var response = await aliceClient.PostAsJsonAsync("/api/v1/conversations", new { type = "direct", memberIds = new[] { bob.Id } });

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, ErrorCodes.UserBlocked);
    }

    [Theory]
    [InlineData("direct", 0)]
    [InlineData("direct", 2)]
    [InlineData("channel", 1)]
    public async Task A_direct_conversation_needs_exactly_one_other_user_and_a_known_type(string type, int others)
    {
        var (_, client) = await api.CreateChatUserAsync("Alice");
        var ids = new List<Guid>();
        for (var i = 0; i < others; i++)
        {
            ids.Add((await api.CreateChatUserAsync($"Other {i}")).User.Id);
        }

        var response = await client.PostAsJsonAsync("/api/v1/conversations", new { type, memberIds = ids });

        await response.AssertFieldErrorAsync(type == "direct" ? "memberIds" : "type");
    }

    [Fact]
    public async Task A_direct_conversation_with_an_unknown_or_deleted_user_is_a_field_error()
    {
        var (_, client) = await api.CreateChatUserAsync("Alice");
        var (deleted, _) = await api.CreateChatUserAsync("Gone");
        await using (var db = TestDatabases.CreateContext(api.DatabaseConnectionString))
        {
            db.Users.Attach(deleted);
            deleted.DeletedAt = DateTimeOffset.UtcNow;
            await db.SaveChangesAsync();
        }

        var unknown = await client.PostAsJsonAsync("/api/v1/conversations", new { type = "direct", memberIds = new[] { Guid.NewGuid() } });
        var gone = await client.PostAsJsonAsync("/api/v1/conversations", new { type = "direct", memberIds = new[] { deleted.Id } });

        await unknown.AssertFieldErrorAsync("memberIds");
        await gone.AssertFieldErrorAsync("memberIds");
    }

    [Fact]
    public async Task Unverified_users_cannot_start_conversations()
    {
        var (_, client) = await api.CreateChatUserAsync("Unverified", emailVerified: false);
        var (bob, _) = await api.CreateChatUserAsync("Bob");

        var response = await client.PostAsJsonAsync("/api/v1/conversations", new { type = "direct", memberIds = new[] { bob.Id } });

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, ErrorCodes.EmailNotVerified);
    }

    [Fact]
    public async Task Creating_a_group_makes_the_creator_its_owner_and_tells_Realtime_who_is_in_it()
    {
        var (alice, client) = await api.CreateChatUserAsync("Alice");
        var (bob, _) = await api.CreateChatUserAsync("Bob");
        var (carol, _) = await api.CreateChatUserAsync("Carol");

        var body = await client.CreateConversationAsync("group", [bob.Id, carol.Id], "Climbing crew");

        var id = body.GetProperty("id").GetGuid();
        Assert.Equal("group", body.GetProperty("type").GetString());
        Assert.Equal("Climbing crew", body.GetProperty("title").GetString());
        Assert.Equal(alice.Id, body.GetProperty("ownerId").GetGuid());
        var roles = body.GetProperty("members").EnumerateArray()
            .ToDictionary(m => m.GetProperty("id").GetGuid(), m => m.GetProperty("role").GetString());
        Assert.Equal("owner", roles[alice.Id]);
        Assert.Equal("member", roles[bob.Id]);
        Assert.Equal(3, body.GetProperty("memberCount").GetInt32());
        var changed = ChatDriver.AssertRecord(Topics.MessagesOutgoing, id, ConversationMembersChanged.RecordType);
        Assert.Equal(new[] { alice.Id, bob.Id, carol.Id }.Order(), changed.GetProperty("memberIds").Guids().Order());
    }

    [Fact]
    public async Task A_group_needs_a_title()
    {
        var (_, client) = await api.CreateChatUserAsync("Alice");
        var (bob, _) = await api.CreateChatUserAsync("Bob");

        var response = await client.PostAsJsonAsync("/api/v1/conversations", new { type = "group", memberIds = new[] { bob.Id }, title = "  " });

        await response.AssertFieldErrorAsync("title");
    }

    [Fact]
    public async Task A_group_has_at_most_the_maximum_number_of_members()
    {
        var (_, client) = await api.CreateChatUserAsync("Alice");
        var memberIds = Enumerable.Range(0, Conversation.MaxGroupMembers).Select(_ => Guid.NewGuid()).ToList();

        var response = await client.PostAsJsonAsync("/api/v1/conversations", new { type = "group", memberIds, title = "Too many" });

        await response.AssertFieldErrorAsync("memberIds");
    }

    [Fact]
    public async Task A_conversation_is_404_to_someone_who_is_not_in_it()
    {
        var (_, aliceClient) = await api.CreateChatUserAsync("Alice");
        var (bob, _) = await api.CreateChatUserAsync("Bob");
        var (_, strangerClient) = await api.CreateChatUserAsync("Stranger");
        var id = await aliceClient.DirectAsync(bob.Id);

        var get = await strangerClient.GetAsync($"/api/v1/conversations/{id}");
        var archive = await strangerClient.PostAsync($"/api/v1/conversations/{id}/archive", null);
        var missing = await aliceClient.GetAsync($"/api/v1/conversations/{Guid.NewGuid()}");

        await get.AssertProblemAsync(HttpStatusCode.NotFound, ErrorCodes.NotFound);
        await archive.AssertProblemAsync(HttpStatusCode.NotFound, ErrorCodes.NotFound);
        await missing.AssertProblemAsync(HttpStatusCode.NotFound, ErrorCodes.NotFound);
    }

    [Fact]
    public async Task One_conversation_shows_the_callers_unread_count_and_read_cursor()
    {
        var (alice, aliceClient) = await api.CreateChatUserAsync("Alice");
        var (bob, bobClient) = await api.CreateChatUserAsync("Bob");
        var id = await aliceClient.DirectAsync(bob.Id);
        await api.PersistMessagesAsync(id, alice.Id, 3);
        (await bobClient.PutAsJsonAsync($"/api/v1/conversations/{id}/read", new { seq = 1 })).EnsureSuccessStatusCode();

        var body = await (await bobClient.GetAsync($"/api/v1/conversations/{id}")).ReadJsonAsync();

        Assert.Equal(2, body.GetProperty("unreadCount").GetInt32());
        Assert.Equal(1, body.GetProperty("lastReadSeq").GetInt64());
        Assert.Equal(3, body.GetProperty("lastSeq").GetInt64());
        Assert.Equal(3, body.GetProperty("lastMessage").GetProperty("seq").GetInt64());
    }

    [Fact]
    public async Task Archiving_takes_a_conversation_out_of_the_list_and_unarchiving_brings_it_back()
    {
        var (_, aliceClient) = await api.CreateChatUserAsync("Alice");
        var (bob, _) = await api.CreateChatUserAsync("Bob");
        var id = await aliceClient.DirectAsync(bob.Id);

        var archive = await aliceClient.PostAsync($"/api/v1/conversations/{id}/archive", null);
        var archivedAgain = await aliceClient.PostAsync($"/api/v1/conversations/{id}/archive", null);
        var main = await ListIdsAsync(aliceClient, "");
        var archived = await ListIdsAsync(aliceClient, "?archived=true");
        var one = await (await aliceClient.GetAsync($"/api/v1/conversations/{id}")).ReadJsonAsync();
        var unarchive = await aliceClient.PostAsync($"/api/v1/conversations/{id}/unarchive", null);
        var afterUnarchive = await ListIdsAsync(aliceClient, "");

        Assert.Equal(HttpStatusCode.NoContent, archive.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, archivedAgain.StatusCode);
        Assert.DoesNotContain(id, main);
        Assert.Contains(id, archived);
        Assert.True(one.GetProperty("archived").GetBoolean());
        Assert.Equal(HttpStatusCode.NoContent, unarchive.StatusCode);
        Assert.Contains(id, afterUnarchive);
    }

    [Fact]
    public async Task A_new_message_brings_an_archived_conversation_back_to_the_list()
    {
        var (_, aliceClient) = await api.CreateChatUserAsync("Alice");
        var (bob, _) = await api.CreateChatUserAsync("Bob");
        var id = await aliceClient.DirectAsync(bob.Id);
        (await aliceClient.PostAsync($"/api/v1/conversations/{id}/archive", null)).EnsureSuccessStatusCode();

        await api.PersistMessagesAsync(id, bob.Id, 1, DateTimeOffset.UtcNow.AddSeconds(1));

        Assert.Contains(id, await ListIdsAsync(aliceClient, ""));
        Assert.DoesNotContain(id, await ListIdsAsync(aliceClient, "?archived=true"));
    }

    private static async Task<List<Guid>> ListIdsAsync(HttpClient client, string query)
    {
        var body = await (await client.GetAsync($"/api/v1/conversations{query}")).ReadJsonAsync();
        return body.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("id").GetGuid()).ToList();
    }
}
