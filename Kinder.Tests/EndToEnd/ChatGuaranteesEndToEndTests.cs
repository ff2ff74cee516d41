using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kinder.Core;
using Kinder.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Xunit.Abstractions;

namespace Kinder.Tests.EndToEnd;

/// <summary>
/// Issue 5's chat guarantees against the three running services (two Realtime instances): Api accepts
/// (<c>202</c>), Workers persist and number, Realtime delivers <c>message:new</c> over SignalR. On
/// <see cref="KinderStack"/>, not the AppHost, because a test kills Workers mid-burst.
/// </summary>
[Collection(KinderStackCollection.Name)]
public sealed class ChatGuaranteesEndToEndTests(KinderStack stack, ITestOutputHelper output) : IAsyncLifetime
{
    // Generous: the machine is shared, and a restarted Workers waits for the dead member's session to time out.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private readonly List<ChatParticipant> _participants = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var participant in _participants)
        {
            await participant.DisposeAsync();
        }
    }

    [Fact]
    public async Task Nothing_accepted_is_lost_when_workers_are_killed_mid_burst_and_started_again()
    {
        var (sender, reader) = await TwoAsync();
        await sender.ConnectAsync(0);
        await reader.ConnectAsync(1);
        var conversation = await sender.CreateConversationAsync("group", [reader], "burst");
        var accepted = new ConcurrentBag<Guid>();
        var next = 0;
        Task SendBatchAsync(int count) => Parallel.ForEachAsync(Enumerable.Range(0, count),
            new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (_, _) =>
            {
                var n = Interlocked.Increment(ref next);
                accepted.Add(await sender.SendAsync(conversation, $"burst-{n}", $"message {n}"));
            });

        // Workers are killed while the first batch is being processed, a second batch is accepted while they are
        // down, and a third while they start again.
        var first = SendBatchAsync(150);
        await WaitUntilAsync(() => !reader.Received.IsEmpty, "the first message:new");
        await stack.StopWorkersAsync(kill: true);
        await first;
        await SendBatchAsync(100);
        await Task.WhenAll(stack.StartWorkersAsync(), SendBatchAsync(100));

        var ids = accepted.ToList();
        Assert.Equal(350, ids.Distinct().Count());
        foreach (var participant in new[] { reader, sender })
        {
            await participant.WaitForAsync(conversation, ids, Patience);
            AssertDeliveredOnceInSeqOrder(participant, conversation, ids);
        }

        var history = await reader.HistoryAsync(conversation);
        Assert.Equal(ids.Order(), history.Select(message => message.Id).Order());
        Assert.Equal(Enumerable.Range(1, ids.Count).Select(seq => (long)seq), history.Select(message => message.Seq));
    }

    [Fact]
    public async Task A_thousand_concurrent_messages_from_ten_senders_get_seq_1_to_1000_and_every_member_sees_that_order()
    {
        var members = await ChatParticipant.CreateAsync(stack, 10);
        _participants.AddRange(members);
        await Task.WhenAll(members.Select((member, index) => member.ConnectAsync(index % 2)));
        var conversation = await members[0].CreateConversationAsync("group", members.Skip(1), "thousand");

        var accepted = new ConcurrentBag<Guid>();
        await Task.WhenAll(members.Select(sender => Parallel.ForEachAsync(Enumerable.Range(1, 100),
            new ParallelOptions { MaxDegreeOfParallelism = 5 },
            async (n, _) => accepted.Add(await sender.SendAsync(conversation, $"m-{n}", $"{sender.User.DisplayName} #{n}")))));

        var ids = accepted.ToList();
        Assert.Equal(1000, ids.Distinct().Count());
        await Task.WhenAll(members.Select(member => member.WaitForAsync(conversation, ids, Patience)));
        foreach (var member in members)
        {
            AssertDeliveredOnceInSeqOrder(member, conversation, ids);
        }
        var history = await members[3].HistoryAsync(conversation);
        Assert.Equal(Enumerable.Range(1, 1000).Select(seq => (long)seq), history.Select(message => message.Seq));
        Assert.Equal(ids.Order(), history.Select(message => message.Id).Order());
    }

    [Fact]
    public async Task The_same_client_message_id_sent_twice_makes_one_message()
    {
        var (sender, reader) = await TwoAsync();
        await reader.ConnectAsync(1);
        var conversation = await sender.CreateConversationAsync("group", [reader], "retry");

        var first = await sender.SendAsync(conversation, "retry-1", "once");
        var retry = await sender.SendAsync(conversation, "retry-1", "once");
        var after = await sender.SendAsync(conversation, "after-1", "after the retry");

        Assert.Equal(first, retry);
        await reader.WaitForAsync(conversation, [first, after], Patience);
        var history = await reader.HistoryAsync(conversation);
        Assert.Equal([first, after], history.Select(message => message.Id));
        Assert.Equal([1L, 2L], history.Select(message => message.Seq));
        Assert.Single(reader.Distinct(conversation), message => message.ClientMessageId == "retry-1");
        // Not only shown once: sent once (the later message came, so a second one would have too).
        Assert.Single(reader.Received, message => message.ClientMessageId == "retry-1");
    }

    [Fact]
    public async Task Racing_sends_of_the_same_client_message_id_make_one_message()
    {
        var (sender, reader) = await TwoAsync();
        await reader.ConnectAsync(0);
        await sender.ConnectAsync(1);
        var conversation = await sender.CreateConversationAsync("group", [reader], "race");

        // Over REST and the hub at once, as a client retrying on another path would.
        var ids = await Task.WhenAll(Enumerable.Range(0, 6).Select(async n => n % 2 == 0
            ? await sender.SendAsync(conversation, "race-1", "once")
            : (await sender.Hub.InvokeAsync<JsonElement>("SendMessage", conversation, "race-1", "once")).GetProperty("id").GetGuid()));
        var after = await sender.SendAsync(conversation, "after-1", "after the race");

        Assert.Single(ids.Distinct());
        await reader.WaitForAsync(conversation, [ids[0], after], Patience);
        var history = await reader.HistoryAsync(conversation);
        Assert.Equal([ids[0], after], history.Select(message => message.Id));
        Assert.Single(reader.Received, message => message.ClientMessageId == "race-1");
    }

    [Fact]
    public async Task A_non_member_cannot_read_a_conversation()
    {
        var (owner, member, outsider) = await ThreeAsync();
        await member.ConnectAsync(0);
        await outsider.ConnectAsync(1);
        var conversation = await owner.CreateConversationAsync("group", [member], "private");
        var secrets = new[]
        {
            await owner.SendAsync(conversation, "secret-1", "secret"),
            await owner.SendAsync(conversation, "secret-2", "another secret"),
        };
        await member.WaitForAsync(conversation, secrets, Patience);

        await (await outsider.Http.GetAsync($"/api/v1/conversations/{conversation}"))
            .AssertProblemAsync(HttpStatusCode.NotFound, ErrorCodes.NotFound);
        await (await outsider.Http.GetAsync($"/api/v1/conversations/{conversation}/messages"))
            .AssertProblemAsync(HttpStatusCode.NotFound, ErrorCodes.NotFound);
        await (await outsider.Http.GetAsync($"/api/v1/conversations/{conversation}/messages?afterSeq=0"))
            .AssertProblemAsync(HttpStatusCode.NotFound, ErrorCodes.NotFound);
        var list = await (await outsider.Http.GetAsync("/api/v1/conversations")).ReadJsonAsync();
        Assert.DoesNotContain(list.GetProperty("items").EnumerateArray(), item => item.GetProperty("id").GetGuid() == conversation);
        Assert.DoesNotContain(outsider.Received, received => received.ConversationId == conversation);
    }

    [Fact]
    public async Task A_non_member_cannot_send_to_a_conversation()
    {
        var (owner, member, outsider) = await ThreeAsync();
        var conversation = await owner.CreateConversationAsync("group", [member], "private");
        await outsider.ConnectAsync(0);

        await (await outsider.PostMessageAsync(conversation, "intruder-1", "let me in"))
            .AssertProblemAsync(HttpStatusCode.NotFound, ErrorCodes.NotFound);
        await Assert.ThrowsAsync<HubException>(() =>
            outsider.Hub.InvokeCoreAsync("SendMessage", typeof(object), [conversation, "intruder-2", "let me in"]));
        await (await outsider.Http.PutAsJsonAsync($"/api/v1/conversations/{conversation}/read", new { seq = 1 }))
            .AssertProblemAsync(HttpStatusCode.NotFound, ErrorCodes.NotFound);

        var marker = await owner.SendAsync(conversation, "marker-1", "only members here");
        var history = await WaitForHistoryAsync(member, conversation, 1);
        Assert.Equal([marker], history.Select(message => message.Id));
    }

    [Fact]
    public async Task A_non_member_cannot_tell_a_conversation_from_one_that_does_not_exist()
    {
        var (owner, member, outsider) = await ThreeAsync();
        var conversation = await owner.CreateConversationAsync("group", [member], "private");
        var message = await owner.SendAsync(conversation, "hidden-1", "hidden");
        await WaitForHistoryAsync(member, conversation, 1);
        var nowhere = Guid.NewGuid();
        await outsider.ConnectAsync(1);

        foreach (var (method, path, body) in Requests())
        {
            var real = await DescribeAsync(outsider, method, path(conversation), body);
            var missing = await DescribeAsync(outsider, method, path(nowhere), body);
            Assert.True(real.Status == HttpStatusCode.NotFound, $"{method} {path(conversation)}: {(int)real.Status}");
            Assert.Equal(missing, real);
        }
        var realHub = await Assert.ThrowsAsync<HubException>(() =>
            outsider.Hub.InvokeCoreAsync("SendMessage", typeof(object), [conversation, "probe-1", "anyone?"]));
        var missingHub = await Assert.ThrowsAsync<HubException>(() =>
            outsider.Hub.InvokeCoreAsync("SendMessage", typeof(object), [nowhere, "probe-1", "anyone?"]));
        Assert.Equal(missingHub.Message, realHub.Message);

        IEnumerable<(HttpMethod, Func<Guid, string>, object?)> Requests() =>
        [
            (HttpMethod.Get, id => $"/api/v1/conversations/{id}", null),
            (HttpMethod.Get, id => $"/api/v1/conversations/{id}/messages?beforeSeq=10&limit=5", null),
            (HttpMethod.Post, id => $"/api/v1/conversations/{id}/messages", new { clientMessageId = "x-1", type = "text", body = "x" }),
            (HttpMethod.Put, id => $"/api/v1/conversations/{id}/read", new { seq = 1 }),
            (HttpMethod.Post, id => $"/api/v1/conversations/{id}/messages/{message}/reactions", new { emoji = "👍" }),
            (HttpMethod.Delete, id => $"/api/v1/conversations/{id}/messages/{message}/reactions/{Uri.EscapeDataString("👍")}", null),
            (HttpMethod.Post, id => $"/api/v1/conversations/{id}/archive", null),
            (HttpMethod.Post, id => $"/api/v1/conversations/{id}/unarchive", null),
        ];
    }

    [Fact]
    public async Task Two_users_on_different_realtime_instances_talk_normally()
    {
        var (alice, bob) = await TwoAsync();
        await alice.ConnectAsync(0);
        await bob.ConnectAsync(1);
        var conversation = await alice.CreateConversationAsync("direct", [bob]);

        await alice.Hub.InvokeCoreAsync("SendMessage", typeof(object), [conversation, "hello-1", "hello from instance 1"]);
        await WaitUntilAsync(() => bob.Distinct(conversation).Count == 1, "Bob's message:new on instance 2");
        await bob.Hub.InvokeCoreAsync("SendMessage", typeof(object), [conversation, "hello-2", "hello from instance 2"]);
        await WaitUntilAsync(() => alice.Distinct(conversation).Count == 2, "Alice's message:new on instance 1");
        await bob.Hub.InvokeCoreAsync("MarkRead", typeof(object), [conversation, 2L]);
        await WaitUntilAsync(() => alice.ReadReceipts.Any(receipt =>
            receipt.GetProperty("userId").GetGuid() == bob.Id && receipt.GetProperty("seq").GetInt64() == 2),
            "Alice's message:read from Bob");

        Assert.Equal(["hello from instance 1", "hello from instance 2"], alice.Distinct(conversation).Select(m => m.Body));
        Assert.Equal(["hello from instance 1", "hello from instance 2"], bob.Distinct(conversation).Select(m => m.Body));
        Assert.Equal([alice.Id, bob.Id], bob.Distinct(conversation).Select(m => m.SenderId!.Value));
    }

    /// <summary>
    /// Every accepted message reached the client; as the client shows them (by id, first arrival) they came in
    /// seq order 1…n with no gap; a redelivery of the same message (at-least-once on the way) carries the same seq.
    /// </summary>
    private void AssertDeliveredOnceInSeqOrder(ChatParticipant participant, Guid conversation, IReadOnlyCollection<Guid> ids)
    {
        var all = participant.Received.Where(message => message.ConversationId == conversation).ToList();
        var shown = participant.Distinct(conversation);
        Assert.Equal(ids.Order(), shown.Select(message => message.Id).Order());
        Assert.Equal(Enumerable.Range(1, ids.Count).Select(seq => (long)seq), shown.Select(message => message.Seq));
        foreach (var redelivered in all.GroupBy(message => message.Id).Where(group => group.Count() > 1))
        {
            Assert.Single(redelivered.Select(message => message.Seq).Distinct());
        }
        if (all.Count > shown.Count)
        {
            output.WriteLine($"{participant.User.DisplayName}: {all.Count - shown.Count} redelivered message:new (same id, same seq).");
        }
    }

    private async Task<IReadOnlyList<ChatMessage>> WaitForHistoryAsync(ChatParticipant member, Guid conversation, int count)
    {
        IReadOnlyList<ChatMessage> history = [];
        await WaitUntilAsync(async () => (history = await member.HistoryAsync(conversation)).Count >= count,
            $"{count} message(s) in history");
        return history;
    }

    private async Task<(ChatParticipant, ChatParticipant)> TwoAsync()
    {
        var users = await ChatParticipant.CreateAsync(stack, 2);
        _participants.AddRange(users);
        return (users[0], users[1]);
    }

    private async Task<(ChatParticipant, ChatParticipant, ChatParticipant)> ThreeAsync()
    {
        var users = await ChatParticipant.CreateAsync(stack, 3);
        _participants.AddRange(users);
        return (users[0], users[1], users[2]);
    }


    private static async Task<(HttpStatusCode Status, string? Code, string? ContentType)> DescribeAsync(
        ChatParticipant participant, HttpMethod method, string path, object? body)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await participant.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        string? code = null;
        if (text.Length > 0)
        {
            using var document = JsonDocument.Parse(text);
            code = document.RootElement.TryGetProperty("code", out var value) ? value.GetString() : null;
        }
        return (response.StatusCode, code, response.Content.Headers.ContentType?.MediaType);
    }

    private Task WaitUntilAsync(Func<bool> condition, string what) =>
        WaitUntilAsync(() => Task.FromResult(condition()), what);

    private async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited {Patience} for {what}.\n{stack.Logs()}");
            }
            await Task.Delay(100);
        }
    }
}
