using System.Collections.Concurrent;
using Confluent.Kafka;
using Kinder.Core.Chat;
using Kinder.KafkaMock;
using Kinder.Messaging;
using Kinder.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Kinder.Tests.Chat.Processing;

/// <summary>
/// Workers in process on a Kafka mock broker of its own (no other host joins its chat groups or reads its records),
/// with quick retries, and a reader of everything it puts on <c>messages.outgoing</c>.
/// </summary>
public class ChatWorkersFactory : WorkersFactory
{
    private readonly MockKafkaCluster kafka = TestKafka.StartOwn();
    private readonly Lazy<OutgoingReader> outgoing;

    public ChatWorkersFactory() => outgoing = new Lazy<OutgoingReader>(() => new OutgoingReader(kafka.BootstrapServers));

    public string KafkaBootstrapServers => kafka.BootstrapServers;

    /// <summary>Every record on <c>messages.outgoing</c>, in each partition's order (started on first use).</summary>
    public OutgoingReader Outgoing => outgoing.Value;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseOwnBroker(kafka.BootstrapServers);
        builder.UseSetting("Kafka:Consumer:MaxAttempts", "3");
        builder.UseSetting("Kafka:Consumer:RetryBaseDelay", "00:00:00.050");
        builder.UseSetting("Kafka:Consumer:RetryMaxDelay", "00:00:00.200");
        builder.UseSetting("Storage:PublicUrl", "https://cdn.kinder.test");
    }

    /// <summary>Starts Workers (its consumers) if not yet started.</summary>
    public void Start() => _ = Server;

    public IKafkaProducer Producer => Services.GetRequiredService<IKafkaProducer>();

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (outgoing.IsValueCreated)
            outgoing.Value.Dispose();
        kafka.Dispose();
    }
}

/// <summary>Reads <c>messages.outgoing</c> from the beginning on a thread of its own and keeps every record.</summary>
public sealed class OutgoingReader : IDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly Thread thread;
    private readonly ConcurrentQueue<KafkaEnvelope> records = new();

    public OutgoingReader(string bootstrapServers)
    {
        var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = KafkaFixture.UniqueGroup("chat-outgoing-reader"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
            SessionTimeoutMs = 6000,
            HeartbeatIntervalMs = 1000,
        }).Build();
        consumer.Subscribe(Topics.MessagesOutgoing);
        thread = new Thread(() =>
        {
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    var result = consumer.Consume(TimeSpan.FromMilliseconds(100));
                    if (result?.Message is { } message)
                    {
                        var envelope = new KafkaEnvelope(
                            Guid.Parse(Header(message, KafkaHeaderNames.MessageId)),
                            Header(message, KafkaHeaderNames.MessageType), DateTimeOffset.UtcNow, message.Value ?? []);
                        records.Enqueue(envelope);
                    }
                }
            }
            finally
            {
                consumer.Close();
                consumer.Dispose();
            }
        }) { IsBackground = true, Name = "chat-outgoing-reader" };
        thread.Start();
    }

    public IReadOnlyList<MessageCreated> Created(Guid conversationId) =>
        Of<MessageCreated>(MessageCreated.RecordType).Where(c => c.Message.ConversationId == conversationId).ToList();

    public IReadOnlyList<ConversationMembersChanged> MembersChanged(Guid conversationId) =>
        Of<ConversationMembersChanged>(ConversationMembersChanged.RecordType)
            .Where(c => c.ConversationId == conversationId).ToList();

    public IEnumerable<T> Of<T>(string type) =>
        records.Where(r => r.Type == type).Select(r => r.Deserialize<T>());

    /// <summary>Waits until <paramref name="condition"/> holds for the conversation's <c>MessageCreated</c> records.</summary>
    public async Task<IReadOnlyList<MessageCreated>> WaitForCreatedAsync(Guid conversationId,
        Func<IReadOnlyList<MessageCreated>, bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var created = Created(conversationId);
            if (condition(created))
                return created;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException(
                    $"Timed out waiting for MessageCreated in {conversationId}; have {created.Count}: " +
                    string.Join(", ", created.Select(c => $"{c.Message.Seq}:{c.Message.Body}")));
            await Task.Delay(20);
        }
    }

    public void Dispose()
    {
        stop.Cancel();
        thread.Join(TimeSpan.FromSeconds(10));
        stop.Dispose();
    }

    private static string Header(Message<byte[]?, byte[]?> message, string name) =>
        message.Headers.TryGetLastBytes(name, out var bytes) ? System.Text.Encoding.UTF8.GetString(bytes) : "";
}
