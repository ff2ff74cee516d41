using Kinder.Core.Chat;
using Kinder.Workers.Chat;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kinder.Tests.Chat.Processing;

/// <summary>Workers' message processor: messages.incoming → one row with the next seq → messages.outgoing.</summary>
public sealed class MessageProcessorTests(ChatWorkersFactory workers) : IClassFixture<ChatWorkersFactory>
{
    [Fact]
    public async Task Concurrent_submits_from_ten_senders_get_seq_1_to_n_with_no_gaps_and_go_out_in_seq_order()
    {
        workers.Start();
        var senders = await workers.UsersAsync(10);
        var conversation = await workers.GroupAsync([.. senders]);
        const int perSender = 40;

        await Task.WhenAll(senders.Select(sender => Task.Run(async () =>
        {
            for (var i = 0; i < perSender; i++)
                await workers.SubmitAsync(ChatWorkersDriver.Text(conversation.Id, sender.Id, $"{sender.Id} {i}"));
        })));

        var total = senders.Count * perSender;
        var created = await workers.Outgoing.WaitForCreatedAsync(conversation.Id, c => c.Count >= total);
        Assert.Equal(Enumerable.Range(1, total).Select(i => (long)i), created.Select(c => c.Message.Seq));
        var stored = await workers.MessagesAsync(conversation.Id);
        Assert.Equal(Enumerable.Range(1, total).Select(i => (long)i), stored.Select(m => m.Seq));
        Assert.Equal(total, stored.Select(m => m.Id).Distinct().Count());
        // Each sender's own messages keep the order they were sent in.
        foreach (var sender in senders)
        {
            Assert.Equal(Enumerable.Range(0, perSender).Select(i => $"{sender.Id} {i}"),
                stored.Where(m => m.SenderId == sender.Id).Select(m => m.Body));
        }
        Assert.Equal(total, await workers.QueryAsync(db =>
            db.Conversations.Where(c => c.Id == conversation.Id).Select(c => c.LastSeq).SingleAsync()));
    }

    [Fact]
    public async Task Processors_running_side_by_side_on_one_conversation_make_each_message_once_with_no_gaps()
    {
        // Two consumers briefly owning one partition (a rebalance) both persist: here eight processors at once, each
        // given overlapping batches, straight against the database.
        var users = await workers.UsersAsync(4);
        var conversation = await workers.GroupAsync([.. users]);
        var messages = Enumerable.Range(0, 400)
            .Select(i => ChatWorkersDriver.Text(conversation.Id, users[i % users.Count].Id, $"m{i}"))
            .ToList();
        var batches = Enumerable.Range(0, 8)
            .Select(p => messages.Skip(p * 40).Take(120).ToList()) // every message in up to three batches
            .ToList();

        await Task.WhenAll(batches.Select(batch => Task.Run(async () =>
        {
            foreach (var chunk in batch.Chunk(20))
            {
                // A batch that loses a race on the unique indexes fails, as in the consumer host; it then goes again.
                for (var attempt = 1; ; attempt++)
                {
                    await using var scope = workers.Services.CreateAsyncScope();
                    var processor = scope.ServiceProvider.GetRequiredService<MessageProcessor>();
                    try
                    {
                        await processor.HandleBatchAsync(chunk.Select(Record).ToList(), CancellationToken.None);
                        break;
                    }
                    catch (Npgsql.PostgresException) when (attempt < 5)
                    {
                    }
                }
            }
        })));

        var stored = await workers.MessagesAsync(conversation.Id);
        var coveredCount = batches.SelectMany(b => b).Select(m => m.MessageId).Distinct().Count();
        Assert.Equal(coveredCount, stored.Count);
        Assert.Equal(Enumerable.Range(1, coveredCount).Select(i => (long)i), stored.Select(m => m.Seq));
        Assert.Equal(coveredCount, stored.Select(m => m.Id).Distinct().Count());
        var members = await workers.MembersAsync(conversation.Id);
        foreach (var member in members)
            Assert.Equal(stored.Count(m => m.SenderId != member.UserId), member.UnreadCount);
    }

    [Fact]
    public async Task A_redelivered_submit_makes_one_message_and_announces_it_again()
    {
        workers.Start();
        var (ana, bob) = (await workers.UserAsync("Ana"), await workers.UserAsync("Bob"));
        var conversation = await workers.GroupAsync(ana, bob);
        var message = ChatWorkersDriver.Text(conversation.Id, ana.Id, "hello", clientMessageId: "retry-1");

        await workers.SubmitAsync(message);
        await workers.Outgoing.WaitForCreatedAsync(conversation.Id, c => c.Count >= 1);
        await workers.SubmitAsync(message); // a client retry after it was persisted: same clientMessageId, same id
        await workers.SubmitAsync(ChatWorkersDriver.Text(conversation.Id, ana.Id, "after"));

        var created = await workers.Outgoing.WaitForCreatedAsync(conversation.Id, c => c.Any(m => m.Message.Body == "after"));
        var stored = await workers.MessagesAsync(conversation.Id);
        Assert.Equal(["hello", "after"], stored.Select(m => m.Body));
        Assert.Equal([1L, 2L], stored.Select(m => m.Seq));
        var announced = created.Where(c => c.Message.Id == message.MessageId).ToList();
        Assert.Equal(2, announced.Count);
        Assert.All(announced, c => Assert.Equal(1, c.Message.Seq));
        Assert.Equal(2, (await workers.MembersAsync(conversation.Id)).Single(m => m.UserId == bob.Id).UnreadCount);
    }

    [Fact]
    public async Task A_submit_from_someone_who_is_not_a_member_is_dropped()
    {
        workers.Start();
        var (ana, bob, stranger) = (await workers.UserAsync("Ana"), await workers.UserAsync("Bob"), await workers.UserAsync("Eve"));
        var conversation = await workers.GroupAsync(ana, bob);
        var intruding = ChatWorkersDriver.Text(conversation.Id, stranger.Id, "let me in");

        await workers.SubmitAsync(intruding);
        await workers.SubmitAsync(ChatWorkersDriver.Text(conversation.Id, ana.Id, "marker"));

        var created = await workers.Outgoing.WaitForCreatedAsync(conversation.Id, c => c.Any(m => m.Message.Body == "marker"));
        Assert.DoesNotContain(created, c => c.Message.Id == intruding.MessageId);
        var stored = Assert.Single(await workers.MessagesAsync(conversation.Id));
        Assert.Equal(("marker", 1L), (stored.Body, stored.Seq));
    }

    [Fact]
    public async Task A_sender_who_left_before_the_message_was_persisted_is_dropped()
    {
        workers.Start();
        var (ana, bob) = (await workers.UserAsync("Ana"), await workers.UserAsync("Bob"));
        var conversation = await workers.GroupAsync(ana, bob);
        await workers.QueryAsync(db => db.ConversationMembers
            .Where(m => m.ConversationId == conversation.Id && m.UserId == bob.Id)
            .ExecuteUpdateAsync(m => m.SetProperty(x => x.LeftAt, DateTimeOffset.UtcNow)));
        var late = ChatWorkersDriver.Text(conversation.Id, bob.Id, "accepted, then I left");

        await workers.SubmitAsync(late);
        await workers.SubmitAsync(ChatWorkersDriver.Text(conversation.Id, ana.Id, "marker"));

        var created = await workers.Outgoing.WaitForCreatedAsync(conversation.Id, c => c.Any(m => m.Message.Body == "marker"));
        Assert.DoesNotContain(created, c => c.Message.Id == late.MessageId);
        Assert.Equal(["marker"], (await workers.MessagesAsync(conversation.Id)).Select(m => m.Body));
    }

    [Fact]
    public async Task Unread_counters_count_the_others_messages_and_activity_moves()
    {
        workers.Start();
        var (ana, bob, cleo) = (await workers.UserAsync("Ana"), await workers.UserAsync("Bob"), await workers.UserAsync("Cleo"));
        var conversation = await workers.GroupAsync(ana, bob, cleo);

        for (var i = 0; i < 3; i++)
            await workers.SubmitAsync(ChatWorkersDriver.Text(conversation.Id, ana.Id, $"ana {i}"));
        await workers.SubmitAsync(ChatWorkersDriver.Text(conversation.Id, bob.Id, "bob"));
        await workers.Outgoing.WaitForCreatedAsync(conversation.Id, c => c.Count >= 4);

        var unread = (await workers.MembersAsync(conversation.Id)).ToDictionary(m => m.UserId, m => m.UnreadCount);
        Assert.Equal(1, unread[ana.Id]);
        Assert.Equal(3, unread[bob.Id]);
        Assert.Equal(4, unread[cleo.Id]);
        var stored = await workers.QueryAsync(db => db.Conversations.AsNoTracking().SingleAsync(c => c.Id == conversation.Id));
        Assert.Equal(4, stored.LastSeq);
        Assert.True(stored.LastActivityAt > conversation.LastActivityAt);
    }

    [Fact]
    public async Task Message_created_carries_the_view_with_attachment_urls_and_every_active_member_as_recipient()
    {
        workers.Start();
        var (ana, bob, gone) = (await workers.UserAsync("Ana"), await workers.UserAsync("Bob"), await workers.UserAsync("Gone"));
        var conversation = await workers.GroupAsync(ana, bob, gone);
        await workers.QueryAsync(db => db.ConversationMembers
            .Where(m => m.ConversationId == conversation.Id && m.UserId == gone.Id)
            .ExecuteUpdateAsync(m => m.SetProperty(x => x.LeftAt, DateTimeOffset.UtcNow)));
        var key = $"uploads/{ana.Id:N}/{Guid.NewGuid():N}/notes.pdf";
        var message = ChatWorkersDriver.Text(conversation.Id, ana.Id, "the notes") with
        {
            Type = MessageType.File,
            Attachments = [new MessageAttachment(key, "application/pdf", 1234)],
        };

        await workers.SubmitAsync(message);

        var created = Assert.Single(await workers.Outgoing.WaitForCreatedAsync(conversation.Id, c => c.Count >= 1));
        Assert.Equal([ana.Id, bob.Id], created.RecipientIds.Order());
        Assert.Equal(message.MessageId, created.Message.Id);
        Assert.Equal(ana.Id, created.Message.SenderId);
        Assert.Equal("file", created.Message.Type);
        Assert.Equal(message.ClientMessageId, created.Message.ClientMessageId);
        Assert.Empty(created.Message.Reactions);
        var attachment = Assert.Single(created.Message.Attachments);
        // Attachments are private: a short-lived signed URL of the object, not the public base URL.
        var url = new Uri(attachment.Url);
        Assert.EndsWith($"/{key}", url.AbsolutePath);
        Assert.Contains("X-Amz-Signature=", url.Query);
        Assert.Equal(("application/pdf", 1234L), (attachment.ContentType, attachment.SizeBytes));
        // What the processor wrote is what EF reads back (history goes through EF).
        var stored = Assert.Single(await workers.MessagesAsync(conversation.Id));
        Assert.Equal([new MessageAttachment(key, "application/pdf", 1234)], stored.Attachments);
        Assert.Equal(created.Message.CreatedAt, stored.CreatedAt);
    }

    [Fact]
    public async Task A_system_message_needs_no_member_and_is_made_once_per_cause()
    {
        workers.Start();
        var (ana, bob) = (await workers.UserAsync("Ana"), await workers.UserAsync("Bob"));
        var conversation = await workers.GroupAsync(ana, bob);
        var cause = Guid.NewGuid();
        var system = SystemMessages.Create(conversation.Id, $"attendance:{cause:N}",
            "Cleo joined", null, DateTimeOffset.UtcNow);

        await workers.SubmitAsync(system);
        await workers.SubmitAsync(SystemMessages.Create(conversation.Id, $"attendance:{cause:N}",
            "Cleo joined", null, DateTimeOffset.UtcNow));
        await workers.SubmitAsync(ChatWorkersDriver.Text(conversation.Id, ana.Id, "marker"));

        await workers.Outgoing.WaitForCreatedAsync(conversation.Id, c => c.Any(m => m.Message.Body == "marker"));
        var stored = await workers.MessagesAsync(conversation.Id);
        Assert.Equal(["Cleo joined", "marker"], stored.Select(m => m.Body));
        Assert.Equal((MessageType.System, (Guid?)null), (stored[0].Type, stored[0].SenderId));
        var unread = (await workers.MembersAsync(conversation.Id)).ToDictionary(m => m.UserId, m => m.UnreadCount);
        Assert.Equal((1, 2), (unread[ana.Id], unread[bob.Id]));
    }

    private static Kinder.Messaging.KafkaRecord Record(MessageSubmitted message) =>
        new("messages.incoming", 0, 0, message.ConversationId.ToString(),
            Kinder.Messaging.KafkaEnvelope.Create(message));
}
