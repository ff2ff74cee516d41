using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Kinder.Core.Chat;
using Kinder.Messaging;
using Kinder.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Kinder.Tests.Realtime;

/// <summary>Records into and out of the run's Kafka mock broker, for the Realtime tests.</summary>
public static class RealtimeKafka
{
    public static Task ProduceAsync<T>(this RealtimeFactory realtime, string topic, string key, string type, T payload) =>
        realtime.Services.GetRequiredService<IKafkaProducer>().ProduceAsync(topic, key, KafkaEnvelope.Create(type, payload));

    /// <summary>
    /// Stands in for Workers' message processor, which is not in these hosts: turns each message submitted to the
    /// conversation into the MessageCreated it would publish, so the path hub → Kafka → consumer group → backplane
    /// → other instance runs.
    /// </summary>
    public static async Task PersistLikeTheProcessorAsync(this RealtimeFactory realtime, Conversation conversation,
        IReadOnlyList<Guid> members, int count)
    {
        var submitted = ConsumeWithKey(Topics.MessagesIncoming, conversation.Id.ToString(), count);
        Assert.Equal(count, submitted.Count);
        var seq = 0;
        foreach (var message in submitted.Select(record => record.Deserialize<MessageSubmitted>()))
        {
            var view = new MessageView(message.MessageId, message.ConversationId, ++seq, message.SenderId, message.ClientMessageId,
                MessageTypes.ToApi(message.Type), message.Body, [], null, new Dictionary<string, int>(), DateTimeOffset.UtcNow);
            await realtime.ProduceAsync(Topics.MessagesOutgoing, conversation.Id.ToString(), MessageCreated.RecordType,
                new MessageCreated(view, members));
        }
    }

    /// <summary>The records on <paramref name="topic"/> with that key, read from the start until <paramref name="count"/> arrived.</summary>
    public static List<ConsumedRecord> ConsumeWithKey(string topic, string key, int count, TimeSpan? timeout = null,
        string? bootstrapServers = null) =>
        ConsumeWithKey(topic, key, found => found.Count >= count, timeout, bootstrapServers);

    /// <summary>
    /// The topic's records with the key, from the start, until <paramref name="enough"/> says so or time runs out; on
    /// the run's broker unless <paramref name="bootstrapServers"/> names another.
    /// </summary>
    public static List<ConsumedRecord> ConsumeWithKey(string topic, string key, Func<IReadOnlyList<ConsumedRecord>, bool> enough,
        TimeSpan? timeout = null, string? bootstrapServers = null)
    {
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers ?? TestKafka.BootstrapServers,
            GroupId = "realtime-test-" + Guid.NewGuid().ToString("N"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
        }).Build();
        consumer.Subscribe(topic);
        var found = new List<ConsumedRecord>();
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (!enough(found) && DateTime.UtcNow < deadline)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result?.Message?.Key == key)
                found.Add(new ConsumedRecord(
                    result.Message.Headers.TryGetLastBytes(KafkaHeaderNames.MessageType, out var type) ? Encoding.UTF8.GetString(type) : "",
                    result.Message.Value));
        }
        consumer.Close();
        return found;
    }
}

public sealed record ConsumedRecord(string Type, byte[] Payload)
{
    public T Deserialize<T>() => JsonSerializer.Deserialize<T>(Payload, KafkaEnvelope.JsonOptions)!;
}
