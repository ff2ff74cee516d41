using Kinder.Core.Chat;
using Kinder.Core.Data;
using Kinder.Core.Identity;
using Kinder.KafkaMock;
using Kinder.Messaging;
using Kinder.PushFake;
using Kinder.Tests.Infrastructure;
using Kinder.Workers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;

namespace Kinder.Tests.Push;

/// <summary>
/// Push end to end in this process: the push fake (FCM and APNs over HTTP/2) on loopback ports, the Api for devices,
/// and Workers on the Api's database consuming <c>notifications.push</c> and sending through the fake. Keys are
/// generated per stack (the fake gets the public halves), as the AppHost does per run. Workers reads a Kafka mock
/// broker of the stack's own: on the run's, its new consumer groups would first work through every push other
/// classes requested (a broadcast alone asks for ten thousand) before the tests' own.
/// </summary>
public sealed class PushStack : IAsyncLifetime
{
    public const string BundleId = PushFakeKeys.BundleId;
    public const string ClientEmail = PushFakeKeys.ClientEmail;
    private readonly PushFakeKeys keys = new();
    private readonly MockKafkaCluster kafka = TestKafka.StartOwn();

    public PushFakeServer Fake { get; private set; } = null!;

    public ApiFactory Api { get; } = new();

    public PushWorkers Workers { get; private set; } = null!;

    public PushFakeOptions FakeOptions { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        FakeOptions = NewFakeOptions();
        Fake = await StartFakeAsync(FakeOptions);
        await Api.InitializeAsync();
        Workers = new PushWorkers(this);
        _ = Workers.Server; // its consumers start
    }

    public PushFakeOptions NewFakeOptions() => keys.FakeOptions();

    public static Task<PushFakeServer> StartFakeAsync(PushFakeOptions options) =>
        PushFakeServer.StartAsync(options, builder => builder.Logging.SetMinimumLevel(LogLevel.Warning));

    /// <summary>The Workers settings for a fake: what the AppHost passes as <c>Push__…</c>.</summary>
    public Dictionary<string, string?> WorkersSettings(PushFakeServer fake) => keys.WorkersSettings(fake);

    public KinderDbContext Db() => TestDatabases.CreateContext(Api.DatabaseConnectionString);

    public async Task<(User User, HttpClient Client)> NewUserAsync()
    {
        var user = await Api.CreateUserAsync();
        return (user, Api.CreateClientFor(user));
    }

    /// <summary>Through the broker, as the notification pipeline sends it.</summary>
    public Task ProduceAsync(KafkaEnvelope envelope, Guid userId) =>
        Workers.Services.GetRequiredService<IKafkaProducer>().ProduceAsync(Topics.NotificationsPush, userId.ToString(), envelope);

    public static string NewFcmToken() => $"f{Guid.NewGuid():N}:APA91b{Guid.NewGuid():N}-{Guid.NewGuid():N}";

    public static string NewApnsToken() => $"{Guid.NewGuid():N}{Guid.NewGuid():N}";

    public static PushRequested Push(Guid userId, string title = "Climbing crew", Guid? notificationId = null) => new(
        userId, "event_updated", title, "Saturday's climb moved to 10:00", null, null, null, DateTimeOffset.UtcNow,
        notificationId ?? Guid.NewGuid(), new Dictionary<string, string> { ["eventId"] = Guid.NewGuid().ToString() },
        Badge: 3, CollapseKey: $"event-{Guid.NewGuid():N}");

    public async Task DisposeAsync()
    {
        if (Workers is not null)
            await Workers.DisposeAsync();
        await Fake.DisposeAsync();
        await Api.DisposeAsync();
        keys.Dispose();
        kafka.Dispose();
    }

    /// <summary>Workers on the Api's database (devices are the Api's rows) sending through the stack's fake.</summary>
    public sealed class PushWorkers(PushStack stack) : WebApplicationFactory<WorkersAssembly>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseTestServers(stack.Api.DatabaseConnectionString);
            builder.UseOwnBroker(stack.kafka.BootstrapServers);
            foreach (var (key, value) in stack.WorkersSettings(stack.Fake))
                builder.UseSetting(key, value);
            builder.UseSetting("Kafka:Consumer:RetryBaseDelay", "00:00:00.050");
            builder.UseSetting("Kafka:Consumer:RetryMaxDelay", "00:00:00.200");
            // The service defaults' resilience handler stays on, with delays a test can afford.
            builder.ConfigureTestServices(services => services.ConfigureAll<HttpStandardResilienceOptions>(options =>
            {
                options.Retry.Delay = TimeSpan.FromMilliseconds(10);
                options.Retry.UseJitter = false;
            }));
        }
    }
}
