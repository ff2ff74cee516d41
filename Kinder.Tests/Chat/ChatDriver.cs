using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Confluent.Kafka;
using Kinder.Core.Chat;
using Kinder.Core.Identity;
using Kinder.Messaging;
using Kinder.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Tests.Chat;

/// <summary>
/// Conversations made through the Api, messages persisted the way Workers' processor does (seq under the
/// conversation's lock, activity, unread counts), and the chat records read back from the broker.
/// </summary>
public static class ChatDriver
{
    public static async Task<(User User, HttpClient Client)> CreateChatUserAsync(this ApiFactory api, string name,
        bool emailVerified = true)
    {
        var user = await api.CreateUserAsync(u =>
        {
            u.DisplayName = name;
            u.EmailVerified = emailVerified;
        });
        return (user, api.CreateClientFor(user));
    }

    public static async Task<JsonElement> CreateConversationAsync(this HttpClient client, string type,
        IEnumerable<Guid> memberIds, string? title = null, HttpStatusCode expected = HttpStatusCode.Created)
    {
        var response = await client.PostAsJsonAsync("/api/v1/conversations", new { type, memberIds, title });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    public static async Task<Guid> DirectAsync(this HttpClient client, Guid otherId) =>
        (await client.CreateConversationAsync("direct", [otherId])).GetProperty("id").GetGuid();

    public static async Task<Guid> GroupAsync(this HttpClient client, string title, params Guid[] memberIds) =>
        (await client.CreateConversationAsync("group", memberIds, title)).GetProperty("id").GetGuid();

    /// <summary>Persists messages as the processor does; returns them in seq order.</summary>
    public static async Task<List<Message>> PersistMessagesAsync(this ApiFactory api, Guid conversationId, Guid? senderId,
        int count, DateTimeOffset? at = null, string type = "text")
    {
        await using var db = TestDatabases.CreateContext(api.DatabaseConnectionString);
        await using var transaction = await db.Database.BeginTransactionAsync();
        var conversation = await db.LockConversationAsync(conversationId, CancellationToken.None);
        var messages = new List<Message>();
        var now = at ?? DateTimeOffset.UtcNow;
        for (var i = 0; i < count; i++)
        {
            var clientMessageId = Guid.NewGuid().ToString("N");
            var message = new Message
            {
                Id = MessageIds.For(conversationId, senderId, clientMessageId),
                ConversationId = conversationId,
                Seq = ++conversation.LastSeq,
                SenderId = senderId,
                ClientMessageId = clientMessageId,
                Type = type == "system" ? MessageType.System : MessageType.Text,
                Body = $"message {conversation.LastSeq}",
                CreatedAt = now,
            };
            db.Messages.Add(message);
            messages.Add(message);
        }
        conversation.LastActivityAt = now;
        await db.SaveChangesAsync();
        await db.ConversationMembers
            .Where(m => m.ConversationId == conversationId && m.LeftAt == null && m.UserId != senderId)
            .ExecuteUpdateAsync(set => set.SetProperty(m => m.UnreadCount, m => m.UnreadCount + count));
        await transaction.CommitAsync();
        return messages;
    }

    /// <summary>The records on <paramref name="topic"/> keyed by <paramref name="key"/> until <paramref name="until"/> holds.</summary>
    public static List<(string Type, JsonElement Payload)> Records(string topic, Guid key,
        Func<List<(string Type, JsonElement Payload)>, bool> until, TimeSpan? timeout = null)
    {
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = TestKafka.BootstrapServers,
            GroupId = "chat-test-" + Guid.NewGuid().ToString("N"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
        }).Build();
        consumer.Subscribe(topic);
        var found = new List<(string Type, JsonElement Payload)>();
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (!until(found) && DateTime.UtcNow < deadline)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result?.Message?.Key == key.ToString())
            {
                var type = result.Message.Headers.TryGetLastBytes(KafkaHeaderNames.MessageType, out var bytes)
                    ? System.Text.Encoding.UTF8.GetString(bytes)
                    : "";
                found.Add((type, JsonDocument.Parse(result.Message.Value).RootElement));
            }
        }
        consumer.Close();
        return found;
    }

    /// <summary>Waits for the first record of <paramref name="type"/> matching <paramref name="match"/>; fails if none comes.</summary>
    public static JsonElement AssertRecord(string topic, Guid key, string type, Func<JsonElement, bool>? match = null)
    {
        bool Matches((string Type, JsonElement Payload) record) => record.Type == type && (match?.Invoke(record.Payload) ?? true);
        var records = Records(topic, key, found => found.Any(Matches));
        Assert.True(records.Any(Matches), $"no {type} on {topic} for {key}; saw {string.Join(", ", records.Select(r => r.Type))}");
        return records.First(Matches).Payload;
    }

    public static IEnumerable<Guid> Guids(this JsonElement array) => array.EnumerateArray().Select(e => e.GetGuid());
}
