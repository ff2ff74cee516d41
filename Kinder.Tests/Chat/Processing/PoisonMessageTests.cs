using System.Text;
using Confluent.Kafka;
using Kinder.Messaging;
using Kinder.Tests.Infrastructure;

namespace Kinder.Tests.Chat.Processing;

/// <summary>
/// A record the database refuses for what it carries (here a body with U+0000, which PostgreSQL's text cannot hold)
/// is dead-lettered on its first failure, without the retry schedule, and the conversation's next message goes
/// through. The record is put on <c>messages.incoming</c> directly, as a client the Api let through would.
/// </summary>
public sealed class PoisonMessageTests(ChatWorkersFactory workers) : IClassFixture<ChatWorkersFactory>
{
    [Fact]
    public async Task A_body_the_database_refuses_is_dead_lettered_on_its_first_failure_and_the_next_message_goes_through()
    {
        workers.Start();
        var (ana, bob) = (await workers.UserAsync("Ana"), await workers.UserAsync("Bob"));
        var conversation = await workers.GroupAsync(ana, bob);
        var poison = ChatWorkersDriver.Text(conversation.Id, ana.Id, "nul \u0000 here");

        await workers.SubmitAsync(poison);
        await workers.SubmitAsync(ChatWorkersDriver.Text(conversation.Id, bob.Id, "after"));

        var created = await workers.Outgoing.WaitForCreatedAsync(conversation.Id, c => c.Any(m => m.Message.Body == "after"));
        Assert.DoesNotContain(created, c => c.Message.Id == poison.MessageId);
        var stored = Assert.Single(await workers.MessagesAsync(conversation.Id));
        Assert.Equal(("after", 1L), (stored.Body, stored.Seq));

        var deadLetter = ReadDeadLetter(Topics.DeadLetter(Topics.MessagesIncoming), poison.MessageId);
        Assert.Equal(typeof(Npgsql.PostgresException).FullName, Header(deadLetter, KafkaHeaderNames.DeadLetterErrorType));
        // One attempt: dead-lettered because of what it is, not after the retries a passing failure gets.
        Assert.Equal("1", Header(deadLetter, KafkaHeaderNames.DeadLetterAttempts));
    }

    [Fact]
    public async Task A_poison_record_in_a_batch_does_not_fail_its_neighbours()
    {
        workers.Start();
        var (ana, bob) = (await workers.UserAsync("Ana"), await workers.UserAsync("Bob"));
        var conversation = await workers.GroupAsync(ana, bob);
        var messages = Enumerable.Range(0, 20)
            .Select(i => ChatWorkersDriver.Text(conversation.Id, ana.Id, i == 7 ? "bad \u0000" : $"m{i}"))
            .ToList();

        // Produced together, so the processor takes many of them in one batch.
        await Task.WhenAll(messages.Select(workers.SubmitAsync));

        await workers.Outgoing.WaitForCreatedAsync(conversation.Id, c => c.Any(m => m.Message.Body == "m19"));
        var stored = await workers.MessagesAsync(conversation.Id);
        Assert.Equal(messages.Where((_, i) => i != 7).Select(m => m.Body), stored.Select(m => m.Body));
        Assert.Equal(Enumerable.Range(1, 19).Select(i => (long)i), stored.Select(m => m.Seq));
        var deadLetter = ReadDeadLetter(Topics.DeadLetter(Topics.MessagesIncoming), messages[7].MessageId);
        Assert.Equal("1", Header(deadLetter, KafkaHeaderNames.DeadLetterAttempts));
    }

    /// <summary>The dead-letter record of <paramref name="messageId"/> (its envelope id is the message id's record).</summary>
    private ConsumeResult<string?, byte[]?> ReadDeadLetter(string topic, Guid messageId)
    {
        using var consumer = new ConsumerBuilder<string?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = workers.KafkaBootstrapServers,
            GroupId = KafkaFixture.UniqueGroup("dead-letter-reader"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
        }).Build();
        consumer.Subscribe(topic);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        try
        {
            while (DateTime.UtcNow < deadline)
            {
                var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
                if (result?.Message?.Value is { } value
                    && new KafkaEnvelope(Guid.Empty, "", default, value).Deserialize<Kinder.Core.Chat.MessageSubmitted>().MessageId == messageId)
                    return result;
            }
        }
        finally
        {
            consumer.Close();
        }
        throw new TimeoutException($"No dead letter for message {messageId} on {topic}.");
    }

    private static string Header(ConsumeResult<string?, byte[]?> record, string name) =>
        record.Message.Headers.TryGetLastBytes(name, out var bytes) ? Encoding.UTF8.GetString(bytes) : "";
}
