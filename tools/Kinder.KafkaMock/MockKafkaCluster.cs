using System.Runtime.InteropServices;
using Confluent.Kafka;
using Kinder.Messaging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kinder.KafkaMock;

/// <summary>
/// librdkafka's built-in mock cluster: a Kafka-protocol broker inside this process, listening on loopback.
/// It keeps every record in memory only; everything is lost when it is disposed. For tests and the no-Docker runner.
/// </summary>
/// <remarks>
/// The brokers bind ephemeral ports chosen by the kernel (librdkafka offers no way to pick one), so callers read
/// <see cref="BootstrapServers"/>. The Admin API's CreateTopics is not implemented by the mock: use <see cref="CreateTopic"/>.
/// Unlike a real broker, the mock's group coordinator holds a joining consumer for <c>session.timeout.ms</c> − 1 s
/// after another member joined or left (44 s with the default), so hosts that restart or scale consumers against it
/// should lower <c>Aspire:Confluent:Kafka:Consumer:Config:SessionTimeoutMs</c> (the tests use 3000).
/// It has no retention of its own beyond a cap of 100,000 message sets per partition: see <see cref="StartRetention"/>.
/// </remarks>
public sealed class MockKafkaCluster : IDisposable
{
    public const int DefaultPartitions = 4;

    private readonly LibrdkafkaMockApi api;
    private readonly nint handle;
    private readonly Lock partitionsLock = new();
    private readonly List<TopicPartition> partitions = [];
    private nint cluster;
    private MockRetention? retention;

    private MockKafkaCluster(LibrdkafkaMockApi api, nint handle, nint cluster, int brokers)
    {
        this.api = api;
        this.handle = handle;
        this.cluster = cluster;
        Brokers = brokers;
        BootstrapServers = Marshal.PtrToStringUTF8(api.Bootstraps(cluster))
            ?? throw new InvalidOperationException("The mock cluster reported no bootstrap servers.");
    }

    /// <summary>Comma-separated <c>host:port</c> list for <c>ConnectionStrings:kafka</c>.</summary>
    public string BootstrapServers { get; }

    public int Brokers { get; }

    /// <summary>The native library the cluster runs in (<see cref="MockLibrary"/>).</summary>
    public static string NativeLibraryPath => LibrdkafkaMockApi.Instance.LibraryPath;

    public static MockKafkaCluster Start(int brokers = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(brokers, 1);
        var api = LibrdkafkaMockApi.Instance;

        // The cluster needs an rd_kafka_t for its bookkeeping; a bare producer handle that never produces will do.
        var handle = NewProducerHandle(api);
        var cluster = api.NewCluster(handle, brokers);
        if (cluster == 0)
        {
            api.DestroyHandle(handle);
            throw new KafkaException(ErrorCode.Local_Fail);
        }

        // Like a real broker the mock holds a new group's first rebalance for 3 s; nobody here waits for stragglers.
        Control(() => api.SetGroupInitialRebalanceDelay(cluster, 0));
        return new MockKafkaCluster(api, handle, cluster, brokers);
    }

    public void CreateTopic(string name, int partitions = DefaultPartitions, int replicationFactor = 1)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ObjectDisposedException.ThrowIf(cluster == 0, this);
        var error = (ErrorCode)Control(() => api.CreateTopic(cluster, name, partitions, replicationFactor));
        if (error != ErrorCode.NoError)
            throw new KafkaException(new Error(error, $"Creating topic '{name}' on the mock cluster failed: {error}."));
        lock (partitionsLock)
            this.partitions.AddRange(Enumerable.Range(0, partitions).Select(partition => new TopicPartition(name, partition)));
    }

    /// <summary>Every partition of the topics created through <see cref="CreateTopic"/>.</summary>
    internal IReadOnlyList<TopicPartition> Partitions
    {
        get
        {
            lock (partitionsLock)
                return [.. partitions];
        }
    }

    /// <summary>
    /// Deletes records older than <paramref name="retention"/> from every partition of the topics created here, like a
    /// broker's <c>retention.ms</c>, until the cluster is disposed.
    /// </summary>
    /// <remarks>
    /// The mock finds a fetch offset by walking the partition's message sets from the oldest (a real broker keeps an
    /// offset index), and keeps up to 100,000 of them per partition, so without retention a busy cluster spends more
    /// CPU on every fetch the longer it runs. A consumer stopped for longer than the retention loses what it missed.
    /// </remarks>
    /// <param name="consumed">Also deletes the records of its topics that every group reading them has committed
    /// past, once they are its age (a short log where consumers keep up, <see cref="ConsumedRetention"/>).</param>
    public void StartRetention(TimeSpan retention, ILogger? logger = null, ConsumedRetention? consumed = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(retention, TimeSpan.Zero);
        if (consumed is not null)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(consumed.After, TimeSpan.Zero, nameof(consumed));
            // Not shorter than the retention, it would never delete more than the retention does.
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(consumed.After, retention, nameof(consumed));
        }
        ObjectDisposedException.ThrowIf(cluster == 0, this);
        if (this.retention is not null)
            throw new InvalidOperationException("The mock cluster's retention has already been started.");
        this.retention = MockRetention.Start(this, retention, consumed, logger ?? NullLogger.Instance);
    }

    /// <summary>Deletes the partition's records before <paramref name="beforeOffset"/> and makes it its log start offset.</summary>
    internal ErrorCode DeleteRecords(TopicPartition partition, long beforeOffset)
    {
        ObjectDisposedException.ThrowIf(cluster == 0, this);
        return (ErrorCode)Control(() => api.DeleteRecords(cluster, partition.Topic, partition.Partition.Value, beforeOffset));
    }

    /// <summary>
    /// Creates every topic in <see cref="Topics.All"/> and its dead-letter topic, the <see cref="Topics.ChatPath"/>
    /// topics with <paramref name="chatPartitions"/> (default: as many as the rest).
    /// </summary>
    public IReadOnlyList<string> CreateKinderTopics(int partitions = DefaultPartitions, int? chatPartitions = null)
    {
        var names = Topics.All.SelectMany(topic => new[] { topic, Topics.DeadLetter(topic) }).ToList();
        foreach (var name in names)
            CreateTopic(name, Topics.ChatPath.Contains(name) ? chatPartitions ?? partitions : partitions,
                replicationFactor: Math.Min(Brokers, 3));
        return names;
    }

    public void Dispose()
    {
        if (cluster == 0) return;
        // Before the cluster goes: the retention loop talks to it.
        retention?.Dispose();
        api.DestroyCluster(cluster);
        api.DestroyHandle(handle);
        cluster = 0;
    }

    /// <summary>Runs one call into the mock's control queue, then lets the mock thread finish its loop.</summary>
    /// <remarks>
    /// The mock thread serves queued calls before it drains its wake-up pipe, so a call posted in between loses its
    /// wake-up and waits for the thread's 1 s poll timeout (measured: ~15 % of back-to-back calls took 1 s).
    /// A millisecond's pause after each call avoids that window.
    /// </remarks>
    private static T Control<T>(Func<T> call)
    {
        var result = call();
        Thread.Sleep(1);
        return result;
    }

    private static void Control(Action call) => Control(() => { call(); return 0; });

    private static nint NewProducerHandle(LibrdkafkaMockApi api)
    {
        const int errorBufferSize = 512;
        var conf = api.NewConf();
        var errorBuffer = Marshal.AllocHGlobal(errorBufferSize);
        try
        {
            // Warnings and errors only: the handle has no bootstrap.servers on purpose, and librdkafka would say so.
            api.SetConf(conf, "log_level", "4", errorBuffer, errorBufferSize);
            // The brokers' sockets take the handle's settings: answers go out at once, not after a delayed ACK.
            api.SetConf(conf, "socket.nagle.disable", "true", errorBuffer, errorBufferSize);
            var handle = api.NewHandle(LibrdkafkaMockApi.ProducerType, conf, errorBuffer, errorBufferSize);
            if (handle != 0) return handle; // rd_kafka_new took ownership of conf

            api.DestroyConf(conf);
            throw new KafkaException(new Error(ErrorCode.Local_Fail,
                $"rd_kafka_new failed: {Marshal.PtrToStringUTF8(errorBuffer)}"));
        }
        finally
        {
            Marshal.FreeHGlobal(errorBuffer);
        }
    }
}
