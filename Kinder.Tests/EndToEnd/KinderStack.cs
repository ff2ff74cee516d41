using System.Net;
using Kinder.Core;
using Kinder.KafkaMock;
using Kinder.Messaging;
using Kinder.SmtpSink;
using Kinder.Core.Data;
using Kinder.Tests.Infrastructure;
using Npgsql;

namespace Kinder.Tests.EndToEnd;

/// <summary>
/// The three services started as separate processes, for the tests that must kill one (SIGKILL Workers mid-test,
/// as in a crash, then start them again): the AppHost can stop a resource, not kill it. Every other end-to-end test
/// runs on the AppHost's graph (<see cref="AppHost.KinderAppHost"/>).
/// The migrate step first, then Api, two Realtime instances (scale-out: same Redis, same Kafka consumer group) and
/// Workers against the run's PostgreSQL and Redis, each on its own port, with a Kafka mock broker and an SMTP sink
/// of the stack's own. Shared by the <see cref="KinderStackCollection"/>.
/// </summary>
public sealed class KinderStack : IAsyncLifetime
{
    private const int RealtimeInstances = 2;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private readonly List<ServiceProcess> _services = [];
    private readonly List<ServiceProcess> _stopped = [];
    private readonly MockKafkaCluster _kafka = TestKafka.StartOwn();
    private readonly SmtpSinkServer _mail = SmtpSinkServer.Start();

    // The stack's own bucket on the run's s3rver.
    private readonly string _bucket = TestServers.NewBucketName();

    private Uri _workersUrl = null!;

    public string DatabaseConnectionString { get; private set; } = "";

    public Uri ApiUrl { get; private set; } = null!;

    /// <summary>Every Realtime instance's URL, each its own process and port.</summary>
    public IReadOnlyList<Uri> RealtimeUrls { get; private set; } = [];

    private ServiceProcess Api => _services.Single(service => service.Name == "api");

    private ServiceProcess Workers => _services.Single(service => service.Name == "workers");

    public async Task InitializeAsync()
    {
        // An empty database: the migrate step must build the schema itself, as it does on a first run.
        var name = $"e2e_{Guid.NewGuid():N}";
        DatabaseConnectionString = TestDatabases.ConnectionString(name);
        await using (var connection = new NpgsqlConnection(TestServers.PostgresAdmin))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }

        await using (var migrator = ServiceProcess.Start("migrator", "Kinder.Workers", ["migrate"], Environment("migrator")))
        {
            var exitCode = await migrator.WaitForExitAsync(StartTimeout);
            Assert.True(exitCode == 0, "The migrate step failed:\n" + migrator.Output());
        }

        ApiUrl = new Uri($"http://127.0.0.1:{LocalPorts.Reserve()}");
        RealtimeUrls = Enumerable.Range(0, RealtimeInstances).Select(_ => new Uri($"http://127.0.0.1:{LocalPorts.Reserve()}")).ToList();
        _workersUrl = new Uri($"http://127.0.0.1:{LocalPorts.Reserve()}");
        var api = Environment("api");
        api["services__realtime__http__0"] = RealtimeUrls[0].ToString();
        _services.Add(ServiceProcess.Start("api", "Kinder.Api", ["--urls", ApiUrl.ToString()], api));
        for (var instance = 0; instance < RealtimeUrls.Count; instance++)
        {
            var serviceName = instance == 0 ? "realtime" : $"realtime{instance + 1}";
            _services.Add(ServiceProcess.Start(serviceName, "Kinder.Realtime", ["--urls", RealtimeUrls[instance].ToString()],
                Environment(serviceName)));
        }
        _services.Add(StartWorkersProcess());

        var realtime = _services.Where(service => service.Name.StartsWith("realtime", StringComparison.Ordinal));
        await Task.WhenAll(realtime.Zip(RealtimeUrls, WaitReadyAsync)
            .Append(WaitHealthyAsync(Api, ApiUrl))
            .Append(WaitReadyAsync(Workers, _workersUrl)));
    }

    /// <summary>
    /// Stops Workers mid-test: killed (SIGKILL, as in a crash: no graceful leave, no last offset commit) or, with
    /// <paramref name="kill"/> false, shut down gracefully. Its output stays in <see cref="Logs"/>.
    /// </summary>
    public async Task StopWorkersAsync(bool kill = true)
    {
        var workers = Workers;
        _services.Remove(workers);
        _stopped.Add(workers);
        await workers.StopAsync(kill);
    }

    /// <summary>Starts Workers again on the same port and settings, and waits until its consumer groups read.</summary>
    public async Task StartWorkersAsync()
    {
        if (_services.Any(service => service.Name == "workers"))
        {
            throw new InvalidOperationException("Workers are already running.");
        }
        var workers = StartWorkersProcess();
        _services.Add(workers);
        await WaitReadyAsync(workers, _workersUrl);
    }

    public async Task DisposeAsync()
    {
        await Task.WhenAll(_services.Concat(_stopped).Select(service => service.DisposeAsync().AsTask()));
        await TestDatabases.DropAsync(DatabaseConnectionString);
        await _mail.DisposeAsync();
        _kafka.Dispose();
    }

    public string Logs() => string.Join('\n', _stopped.Concat(_services).Select(service => service.Output()));

    private ServiceProcess StartWorkersProcess() =>
        ServiceProcess.Start("workers", "Kinder.Workers", ["--urls", _workersUrl.ToString()], Environment("workers"));

    /// <summary>
    /// Healthy, and every Kafka consumer group the service subscribed has its partitions: healthy is not yet reading,
    /// and a record sent before the group has its partitions would wait for the join (after a kill, the mock broker
    /// holds the new member until the dead one's session times out).
    /// </summary>
    private static async Task WaitReadyAsync(ServiceProcess service, Uri baseUrl)
    {
        await WaitHealthyAsync(service, baseUrl);
        var deadline = DateTime.UtcNow + StartTimeout;
        while (true)
        {
            var lines = service.Lines.ToList();
            var subscribed = lines.Select(line => GroupIn(line, " subscribed to ")).OfType<string>().ToHashSet();
            var assigned = lines.Select(line => GroupIn(line, " assigned ")).OfType<string>().ToHashSet();
            // Realtime's consumer is no group: it says where it starts reading once it has its partitions.
            var everyInstance = lines.Any(line => line.Contains(" reads every record from ", StringComparison.Ordinal));
            if ((subscribed.Count > 0 || everyInstance) && subscribed.IsSubsetOf(assigned))
            {
                return;
            }
            if (service.HasExited || DateTime.UtcNow > deadline)
            {
                throw new TimeoutException(
                    $"{service.Name}: consumer groups [{string.Join(", ", subscribed.Except(assigned))}] got no partitions:\n{service.Output()}");
            }
            await Task.Delay(100);
        }
    }

    private static string? GroupIn(string line, string verb)
    {
        const string marker = "Kafka consumer group ";
        var start = line.IndexOf(marker, StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }
        start += marker.Length;
        var end = line.IndexOf(verb, start, StringComparison.Ordinal);
        return end > start ? line[start..end] : null;
    }

    private Dictionary<string, string> Environment(string serviceName) => new()
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Development",
        ["DOTNET_ENVIRONMENT"] = "Development",
        ["OTEL_SERVICE_NAME"] = serviceName,
        // As the AppHost does: the migrator is the owner and creates the services' role, the services connect as it.
        ["ConnectionStrings__kinderdb"] = serviceName == "migrator"
            ? DatabaseConnectionString
            : TestDatabases.AsApplicationRole(DatabaseConnectionString),
        ["Database__ApplicationRole"] = ApplicationRole.DefaultName,
        ["Database__ApplicationRolePassword"] = TestServers.ApplicationRolePassword,
        ["ConnectionStrings__redis"] = TestServers.Redis,
        ["ConnectionStrings__kafka"] = _kafka.BootstrapServers,
        ["Jwt__SigningKey"] = TestServers.JwtSigningKey,
        ["Smtp__Host"] = _mail.Host,
        ["Smtp__Port"] = _mail.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Storage__ServiceUrl"] = TestServers.S3,
        ["Storage__Bucket"] = _bucket,
        ["Storage__AccessKey"] = TestServers.S3AccessKey,
        ["Storage__SecretKey"] = TestServers.S3SecretKey,
        ["PersonalData__ConsumerGroup"] = $"personal-data-{_bucket}",
        // The stack shares the run's Redis with in-process hosts: its own presence/typing keys and backplane
        // channels, or one's offline sweep would announce the other's users.
        ["Realtime__RedisPrefix"] = $"kinder-{_bucket}",
        // Bursts of hundreds of messages from one sender; the limit itself is tested in the Api tests.
        ["Chat__SendRateLimit__PermitLimit"] = "100000",
        ["Logging__Console__FormatterOptions__ColorBehavior"] = "Disabled",
        // As the runner sets it for the mock broker, which otherwise delays group joins by the session timeout.
        ["Aspire__Confluent__Kafka__Consumer__Config__SessionTimeoutMs"] = "6000",
        ["Aspire__Confluent__Kafka__Consumer__Config__HeartbeatIntervalMs"] = "1000",
    };

    private static async Task WaitHealthyAsync(ServiceProcess service, Uri baseUrl)
    {
        using var client = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (service.HasExited)
            {
                throw new InvalidOperationException($"{service.Name} exited with {service.ExitCode}:\n{service.Output()}");
            }
            try
            {
                if ((await client.GetAsync("/health")).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Still starting.
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"{service.Name} was not healthy within {StartTimeout}:\n{service.Output()}");
    }
}

/// <summary>The tests that kill a service share one stack and run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class KinderStackCollection : ICollectionFixture<KinderStack>
{
    public const string Name = "KinderStack";
}
