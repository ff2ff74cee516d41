namespace Kinder.Tests.Infrastructure;

/// <summary>
/// Where the real servers for this test run are: started by this test process on first use (<see cref="LocalPostgres"/>,
/// <see cref="LocalRedis"/>, <see cref="LocalS3"/>), once however many test classes ask at the same time, or
/// servers of your own given in KINDER_TEST_POSTGRES, KINDER_TEST_REDIS and KINDER_TEST_S3 (then nothing is started).
/// </summary>
public static class TestServers
{
    private static readonly Lazy<string> LazyPostgres = OwnOrLocal("KINDER_TEST_POSTGRES", LocalPostgres.Start);
    private static readonly Lazy<string> LazyRedis = OwnOrLocal("KINDER_TEST_REDIS", LocalRedis.Start);
    private static readonly Lazy<string> LazyS3 = OwnOrLocal("KINDER_TEST_S3", LocalS3.Start);

    /// <summary>The superuser's connection string to the postgres database.</summary>
    public static string PostgresAdmin => LazyPostgres.Value;

    public static string Redis => LazyRedis.Value;

    /// <summary>The run's s3rver (S3 protocol); its keys are s3rver's built-in development defaults.</summary>
    public static string S3 => LazyS3.Value;

    public const string S3AccessKey = "S3RVER";
    public const string S3SecretKey = "S3RVER";

    /// <summary>A bucket name of its own for a fixture, so tests never see each other's objects.</summary>
    public static string NewBucketName() => $"test-{Guid.NewGuid():N}";

    /// <summary>A signing key made for this run, so no key lives in the repository.</summary>
    /// <summary>The services' database role's password for this run (the template's migration sets it).</summary>
    public static string ApplicationRolePassword { get; } = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));

    public static string JwtSigningKey { get; } = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(48));

    // Lazy's default mode runs the start once, and a failure (a missing binary, say) fails every test that asks.
    private static Lazy<string> OwnOrLocal(string variable, Func<string> start) =>
        new(() => Environment.GetEnvironmentVariable(variable) is { Length: > 0 } own ? own : start());
}

/// <summary>
/// One librdkafka mock cluster for the whole test run (in memory; it dies with the test process), with every
/// Kinder topic created. Tests that need isolation use their own topics or consumer groups.
/// </summary>
public static class TestKafka
{
    private static readonly Lazy<Kinder.KafkaMock.MockKafkaCluster> Cluster = new(StartOwn);

    public static string BootstrapServers => Cluster.Value.BootstrapServers;

    /// <summary>
    /// A cluster of a stack's own, every Kinder topic created: its hosts' new consumer groups read from the start, and
    /// on the run's cluster that is every record every other class has produced so far.
    /// </summary>
    public static Kinder.KafkaMock.MockKafkaCluster StartOwn()
    {
        var cluster = Kinder.KafkaMock.MockKafkaCluster.Start();
        cluster.CreateKinderTopics();
        return cluster;
    }
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
