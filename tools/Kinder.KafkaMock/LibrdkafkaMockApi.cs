using System.Runtime.InteropServices;

namespace Kinder.KafkaMock;

/// <summary>
/// The few librdkafka C functions the mock cluster needs (Confluent.Kafka does not wrap the mock API), bound from the
/// mock's own build (<see cref="MockLibrary"/>). Declarations follow <c>rdkafka.h</c> and <c>rdkafka_mock.h</c>.
/// </summary>
internal sealed class LibrdkafkaMockApi
{
    private static readonly Lazy<LibrdkafkaMockApi> Shared = new(() => new LibrdkafkaMockApi(MockLibrary.Find()));

    public static LibrdkafkaMockApi Instance => Shared.Value;

    public const int ProducerType = 0; // RD_KAFKA_PRODUCER

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    public delegate nint ConfNew();

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    public delegate void ConfDestroy(nint conf);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    public delegate int ConfSet(
        nint conf, [MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value,
        nint errorBuffer, nuint errorBufferSize);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    public delegate nint KafkaNew(int type, nint conf, nint errorBuffer, nuint errorBufferSize);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    public delegate void KafkaDestroy(nint handle);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    public delegate nint MockClusterNew(nint handle, int brokerCount);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    public delegate void MockClusterDestroy(nint cluster);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    public delegate nint MockClusterBootstraps(nint cluster);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    public delegate int MockTopicCreate(
        nint cluster, [MarshalAs(UnmanagedType.LPUTF8Str)] string topic, int partitionCount, int replicationFactor);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    public delegate void MockGroupInitialRebalanceDelay(nint cluster, int delayMilliseconds);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    public delegate int MockPartitionDeleteRecords(
        nint cluster, [MarshalAs(UnmanagedType.LPUTF8Str)] string topic, int partition, long beforeOffset);

    private LibrdkafkaMockApi(string libraryPath)
    {
        LibraryPath = libraryPath;
        // A second librdkafka beside Confluent.Kafka's (its clients, in tests and in the mock's retention): dlopen keeps
        // its symbols local and the build binds the library's calls to itself (-Bsymbolic).
        var library = NativeLibrary.Load(libraryPath);
        T Bind<T>(string name) where T : Delegate => Marshal.GetDelegateForFunctionPointer<T>(NativeLibrary.GetExport(library, name));

        NewConf = Bind<ConfNew>("rd_kafka_conf_new");
        DestroyConf = Bind<ConfDestroy>("rd_kafka_conf_destroy");
        SetConf = Bind<ConfSet>("rd_kafka_conf_set");
        NewHandle = Bind<KafkaNew>("rd_kafka_new");
        DestroyHandle = Bind<KafkaDestroy>("rd_kafka_destroy");
        NewCluster = Bind<MockClusterNew>("rd_kafka_mock_cluster_new");
        DestroyCluster = Bind<MockClusterDestroy>("rd_kafka_mock_cluster_destroy");
        Bootstraps = Bind<MockClusterBootstraps>("rd_kafka_mock_cluster_bootstraps");
        CreateTopic = Bind<MockTopicCreate>("rd_kafka_mock_topic_create");
        SetGroupInitialRebalanceDelay = Bind<MockGroupInitialRebalanceDelay>("rd_kafka_mock_group_initial_rebalance_delay_ms");
        DeleteRecords = Bind<MockPartitionDeleteRecords>("rd_kafka_mock_partition_delete_records");
    }

    public string LibraryPath { get; }
    public ConfNew NewConf { get; }
    public ConfDestroy DestroyConf { get; }
    public ConfSet SetConf { get; }
    public KafkaNew NewHandle { get; }
    public KafkaDestroy DestroyHandle { get; }
    public MockClusterNew NewCluster { get; }
    public MockClusterDestroy DestroyCluster { get; }
    public MockClusterBootstraps Bootstraps { get; }
    public MockTopicCreate CreateTopic { get; }
    public MockGroupInitialRebalanceDelay SetGroupInitialRebalanceDelay { get; }
    public MockPartitionDeleteRecords DeleteRecords { get; }
}
