using System.Net;
using System.Net.Sockets;
using Kinder.Core.Messaging;
using Kinder.SmtpSink;
using Kinder.Tests.Infrastructure;
using Npgsql;

namespace Kinder.Tests.EndToEnd;

/// <summary>
/// The three services started as separate processes the way <c>./kinder run</c> starts them: migrate step first,
/// then Api, Realtime and Workers against the run's PostgreSQL and Redis, each on its own port. Like the runner, the
/// stack has a Kafka mock broker and an SMTP sink of its own (here in the test process): its consumer groups share
/// no broker with in-process hosts, and its mail is in <see cref="Mail"/>.
/// </summary>
public sealed class KinderStack : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private readonly List<ServiceProcess> _services = [];
    private readonly MockKafkaCluster _kafka = StartKafka();

    /// <summary>Every message the services sent.</summary>
    public SmtpSinkServer Mail { get; } = SmtpSinkServer.Start();

    public string DatabaseConnectionString { get; private set; } = "";

    public string KafkaBootstrapServers => _kafka.BootstrapServers;

    /// <summary>The stack's own bucket on the run's s3rver.</summary>
    public string Bucket { get; } = TestServers.NewBucketName();

    public Uri ApiUrl { get; private set; } = null!;
    public Uri RealtimeUrl { get; private set; } = null!;
    public Uri WorkersUrl { get; private set; } = null!;
    public ServiceProcess Api => _services.Single(service => service.Name == "api");
    public ServiceProcess Realtime => _services.Single(service => service.Name == "realtime");
    public ServiceProcess Workers => _services.Single(service => service.Name == "workers");

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

        ApiUrl = new Uri($"http://127.0.0.1:{FreePort()}");
        RealtimeUrl = new Uri($"http://127.0.0.1:{FreePort()}");
        WorkersUrl = new Uri($"http://127.0.0.1:{FreePort()}");
        var api = Environment("api");
        api["services__realtime__http__0"] = RealtimeUrl.ToString();
        _services.Add(ServiceProcess.Start("api", "Kinder.Api", ["--urls", ApiUrl.ToString()], api));
        _services.Add(ServiceProcess.Start("realtime", "Kinder.Realtime", ["--urls", RealtimeUrl.ToString()], Environment("realtime")));
        _services.Add(ServiceProcess.Start("workers", "Kinder.Workers", ["--urls", WorkersUrl.ToString()], Environment("workers")));

        await Task.WhenAll(WaitHealthyAsync(Api, ApiUrl), WaitHealthyAsync(Realtime, RealtimeUrl), WaitHealthyAsync(Workers, WorkersUrl));
        // Healthy is not yet reading: a record sent before the group has its partitions would wait for the join.
        await Workers.WaitForLineAsync(line => line.Contains("Kafka consumer group workers-email assigned"), StartTimeout);
    }

    public async Task DisposeAsync()
    {
        await Task.WhenAll(_services.Select(service => service.DisposeAsync().AsTask()));
        await TestDatabases.DropAsync(DatabaseConnectionString);
        await Mail.DisposeAsync();
        _kafka.Dispose();
    }

    public string Logs() => string.Join('\n', _services.Select(service => service.Output()));

    private Dictionary<string, string> Environment(string serviceName) => new()
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Development",
        ["DOTNET_ENVIRONMENT"] = "Development",
        ["OTEL_SERVICE_NAME"] = serviceName,
        ["ConnectionStrings__kinderdb"] = DatabaseConnectionString,
        ["ConnectionStrings__redis"] = TestServers.Redis,
        ["ConnectionStrings__kafka"] = _kafka.BootstrapServers,
        ["Jwt__SigningKey"] = TestServers.JwtSigningKey,
        ["Smtp__Host"] = Mail.Host,
        ["Smtp__Port"] = Mail.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Storage__ServiceUrl"] = TestServers.S3,
        ["Storage__Bucket"] = Bucket,
        ["Storage__AccessKey"] = TestServers.S3AccessKey,
        ["Storage__SecretKey"] = TestServers.S3SecretKey,
        ["PersonalData__ConsumerGroup"] = $"personal-data-{Bucket}",
        ["Logging__Console__FormatterOptions__ColorBehavior"] = "Disabled",
        // As the runner sets it for the mock broker, which otherwise delays group joins by the session timeout.
        ["Kafka__Consumer__Config__SessionTimeoutMs"] = "6000",
        ["Kafka__Consumer__Config__HeartbeatIntervalMs"] = "1000",
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

    private static MockKafkaCluster StartKafka()
    {
        var cluster = MockKafkaCluster.Start();
        cluster.CreateKinderTopics();
        return cluster;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
