using Kinder.Core;
using Kinder.Core.Data;
using Kinder.Core.Presence;
using Kinder.KafkaMock;
using Kinder.Messaging;
using Kinder.Tests.Infrastructure;
using Kinder.Tests.Messaging;
using Kinder.Tests.Realtime;
using Kinder.Workers;
using Kinder.Workers.Extensions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Kinder.Tests.Notifications;

/// <summary>
/// The notification path through the real services, on one database: the Api (REST), Workers (outbox relay, chat
/// processor, notification sources, scheduled jobs) and Realtime (hub, presence). Workers' clock is a
/// <see cref="TestClock"/> the tests move forward: the chat delay is an hour, quiet hours end when the test says.
/// The three share a Kafka mock broker of the stack's own: Workers' new consumer groups read from the start, and on
/// the run's broker that is every record other classes produced (a broadcast test alone requests 10,000 pushes).
/// </summary>
public sealed class NotificationsStack : IAsyncLifetime
{
    private readonly MockKafkaCluster kafka = TestKafka.StartOwn();
    private readonly Dictionary<string, string?> kafkaSettings;

    public NotificationsStack()
    {
        kafkaSettings = new() { [$"ConnectionStrings:{KinderResources.Kafka}"] = kafka.BootstrapServers };
        Realtime = RealtimeFactory.WithSettings(kafkaSettings);
    }

    public RealtimeFactory Realtime { get; }

    public ApiFactory Api { get; private set; } = null!;

    public NotificationWorkers Workers { get; private set; } = null!;

    public TestClock Clock { get; } = new();

    public static readonly TimeSpan ChatDelay = TimeSpan.FromHours(1);

    // Fixed for the stack, so a restarted Workers host goes on where the last one stopped.
    private readonly string consumerGroupSuffix = Guid.NewGuid().ToString("N");

    /// <summary>Stops Workers (the host shuts down mid-work) and starts a new host in the same consumer groups.</summary>
    public async Task RestartWorkersAsync()
    {
        await Workers.DisposeAsync();
        Workers = new NotificationWorkers(this);
        _ = Workers.Server;
    }

    public async Task InitializeAsync()
    {
        await Realtime.InitializeAsync();
        Api = ApiFactory.OnDatabase(Realtime.DatabaseConnectionString, kafkaSettings);
        await Api.InitializeAsync();
        _ = Api.Server;
        Workers = new NotificationWorkers(this);
        _ = Workers.Server;
    }

    public async Task DisposeAsync()
    {
        await Workers.DisposeAsync();
        await Api.DisposeAsync();
        await Realtime.DisposeAsync();
        kafka.Dispose();
    }

    /// <summary>The stack's records on <paramref name="topic"/> with that key, read from the start until <paramref name="count"/> arrived.</summary>
    public List<ConsumedRecord> ConsumeWithKey(string topic, string key, int count, TimeSpan? timeout = null) =>
        RealtimeKafka.ConsumeWithKey(topic, key, count, timeout, kafka.BootstrapServers);

    /// <summary>The stack's records on the topic with the key, from the start, until <paramref name="enough"/> says so or time runs out.</summary>
    public List<ConsumedRecord> ConsumeWithKey(string topic, string key, Func<IReadOnlyList<ConsumedRecord>, bool> enough,
        TimeSpan? timeout = null) =>
        RealtimeKafka.ConsumeWithKey(topic, key, enough, timeout, kafka.BootstrapServers);

    public KinderDbContext Db() => TestDatabases.CreateContext(Realtime.DatabaseConnectionString);

    public Task ProduceAsync<T>(string topic, string key, KafkaEnvelope envelope) where T : IRecord =>
        Workers.Services.GetRequiredService<IKafkaProducer>().ProduceAsync(topic, key, envelope);

    /// <summary>Waits until Workers see the user online (the hub records presence as the connection starts).</summary>
    public Task WaitOnlineAsync(Guid userId) =>
        Eventually.TrueAsync(() => Workers.Services.GetRequiredService<OnlineUsers>().AreOnlineAsync([userId]).GetAwaiter().GetResult()[0],
            "Workers see the connected user online");

    public sealed class NotificationWorkers(NotificationsStack stack) : WebApplicationFactory<WorkersAssembly>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseTestServers(stack.Realtime.DatabaseConnectionString);
            builder.UseOwnBroker(stack.kafka.BootstrapServers);
            builder.UseSetting(OnlineUsers.PrefixKey, stack.Realtime.RedisPrefix);
            builder.UseSetting(ApplicationServiceExtensions.NotificationSourcesConsumerGroupKey, $"sources-{stack.consumerGroupSuffix}");
            builder.UseSetting(ApplicationServiceExtensions.OfflinePushConsumerGroupKey, $"chat-notify-{stack.consumerGroupSuffix}");
            builder.UseSetting(ApplicationServiceExtensions.ChatProcessorConsumerGroupKey, $"processor-{stack.consumerGroupSuffix}");
            builder.UseSetting("Notifications:ChatPushDelay", ChatDelay.ToString());
            builder.UseSetting("Notifications:SchedulerPollInterval", "00:00:00.200");
            builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(stack.Clock));
        }
    }
}

/// <summary>The system clock plus an offset a test moves forward.</summary>
public sealed class TestClock : TimeProvider
{
    private long offsetTicks;

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref offsetTicks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref offsetTicks, by.Ticks);

    /// <summary>Makes "now" <paramref name="now"/> (also backwards: a test that plans by the Api's real clock starts
    /// from the real time again).</summary>
    public void Set(DateTimeOffset now) => Interlocked.Exchange(ref offsetTicks, (now - base.GetUtcNow()).Ticks);

    public void Reset() => Interlocked.Exchange(ref offsetTicks, 0);
}
