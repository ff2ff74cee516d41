namespace Kinder.Tests.Infrastructure;

/// <summary>
/// Where the real servers for this test run are. <c>./kinder test</c> starts a throwaway PostgreSQL and Redis and
/// exports these; the defaults match its default ports so a developer can rerun a single test from an IDE.
/// </summary>
public static class TestServers
{
    public static string PostgresAdmin { get; } =
        Environment.GetEnvironmentVariable("KINDER_TEST_POSTGRES")
        ?? "Host=127.0.0.1;Port=55433;Username=postgres;Password=kinder-test;Database=postgres";

    public static string Redis { get; } =
        Environment.GetEnvironmentVariable("KINDER_TEST_REDIS") ?? "127.0.0.1:56380";

    /// <summary>The run's s3rver (S3 protocol); its keys are s3rver's built-in development defaults.</summary>
    public static string S3 { get; } =
        Environment.GetEnvironmentVariable("KINDER_TEST_S3") ?? "http://127.0.0.1:56901";

    public const string S3AccessKey = "S3RVER";
    public const string S3SecretKey = "S3RVER";

    /// <summary>A bucket name of its own for a fixture, so tests never see each other's objects.</summary>
    public static string NewBucketName() => $"test-{Guid.NewGuid():N}";

    /// <summary>A signing key made for this run, so no key lives in the repository.</summary>
    public static string JwtSigningKey { get; } = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(48));
}

/// <summary>
/// One librdkafka mock cluster for the whole test run (in memory; it dies with the test process), with every
/// Kinder topic created. Tests that need isolation use their own topics or consumer groups.
/// </summary>
public static class TestKafka
{
    private static readonly Lazy<Kinder.Core.Messaging.MockKafkaCluster> Cluster = new(() =>
    {
        var cluster = Kinder.Core.Messaging.MockKafkaCluster.Start();
        cluster.CreateKinderTopics();
        return cluster;
    });

    public static string BootstrapServers => Cluster.Value.BootstrapServers;
}

/// <summary>
/// One SMTP sink for the whole test run (in memory), where every in-process host sends mail unless a test gives it a
/// sink of its own. Tests that read mail tell theirs apart by recipient.
/// </summary>
public static class TestSmtp
{
    private static readonly Lazy<Kinder.SmtpSink.SmtpSinkServer> SharedSink = new(() => Kinder.SmtpSink.SmtpSinkServer.Start());

    public static Kinder.SmtpSink.SmtpSinkServer Sink => SharedSink.Value;
}
