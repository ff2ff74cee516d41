using Confluent.Kafka;
using Kinder.Core.Chat;
using Kinder.Messaging;
using Kinder.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace Kinder.Tests.Chat.Processing;

/// <summary>
/// A backlog that fills whole batches: put on <c>messages.incoming</c> before Workers start, it is worked through in
/// batches of many conversations at once, and the hot conversation still comes out numbered in order with no gap.
/// (How fast is the chat benchmark's business, not a test's: bench/Kinder.Bench.Chat.)
/// </summary>
public sealed class MessageProcessorBacklogTests(ChatWorkersFactory workers)
    : IClassFixture<ChatWorkersFactory>
{
    [Fact]
    public async Task A_backlog_of_group_and_hot_conversation_messages_is_persisted_in_order_in_batches()
    {
        // The two shapes: many groups of ten (the reference scenario), and one conversation with ten senders.
        const int groups = 100, groupMessages = 100, hotMessages = 4_000;
        var users = await workers.UsersAsync(groups * 10);
        var conversations = new List<(Conversation Conversation, List<Guid> Members)>();
        for (var g = 0; g < groups; g++)
        {
            var members = users.Skip(g * 10).Take(10).ToArray();
            conversations.Add((await workers.GroupAsync(members), members.Select(m => m.Id).ToList()));
        }
        var hot = conversations[0];

        var submissions = new List<MessageSubmitted>();
        for (var i = 0; i < groupMessages; i++)
        {
            foreach (var (conversation, members) in conversations)
                submissions.Add(ChatWorkersDriver.Text(conversation.Id, members[i % 10], $"group {i}"));
        }
        for (var i = 0; i < hotMessages; i++)
            submissions.Add(ChatWorkersDriver.Text(hot.Conversation.Id, hot.Members[i % 10], $"hot {i}"));
        await ProduceBacklogAsync(submissions);

        workers.Start();
        var expected = submissions.Count;
        long persisted;
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        do
        {
            await Task.Delay(50);
            persisted = await workers.QueryAsync(db => db.Messages.LongCountAsync());
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Only {persisted} of {expected} messages persisted in 3 minutes.");
        } while (persisted < expected);

        var hotSeqs = await workers.QueryAsync(db => db.Messages.Where(m => m.ConversationId == hot.Conversation.Id)
            .OrderBy(m => m.Seq).Select(m => m.Seq).ToListAsync());
        Assert.Equal(Enumerable.Range(1, hotMessages + groupMessages).Select(i => (long)i), hotSeqs);
    }

    private async Task ProduceBacklogAsync(List<MessageSubmitted> submissions)
    {
        using var producer = new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig
        {
            BootstrapServers = workers.KafkaBootstrapServers,
            EnableIdempotence = true,
            LingerMs = 5,
        }).Build();
        foreach (var submission in submissions)
        {
            var envelope = KafkaEnvelope.Create(submission);
            producer.Produce(Topics.MessagesIncoming, new Message<byte[]?, byte[]?>
            {
                Key = System.Text.Encoding.UTF8.GetBytes(submission.ConversationId.ToString()),
                Value = envelope.Payload,
                Headers = new Headers
                {
                    { KafkaHeaderNames.MessageId, System.Text.Encoding.UTF8.GetBytes(envelope.Id.ToString()) },
                    { KafkaHeaderNames.MessageType, System.Text.Encoding.UTF8.GetBytes(envelope.Type) },
                    { KafkaHeaderNames.OccurredAt, System.Text.Encoding.UTF8.GetBytes(envelope.OccurredAt.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture)) },
                },
            });
        }
        await Task.Run(() => producer.Flush(TimeSpan.FromSeconds(60)));
    }
}
