using Kinder.KafkaMock;
using Kinder.Messaging;

namespace Kinder.Tests.Infrastructure;

/// <summary>
/// One librdkafka mock cluster for the whole test run (in memory, gone when the run ends). Tests create their own
/// uniquely named topics and groups, so they never see each other's records.
/// </summary>
public sealed class KafkaFixture : IDisposable
{
    private readonly MockKafkaCluster cluster = MockKafkaCluster.Start();

    public string BootstrapServers => cluster.BootstrapServers;

    /// <summary>Creates a fresh topic and its dead-letter topic, both with <paramref name="partitions"/> partitions.</summary>
    public string CreateTopic(string purpose, int partitions = 4)
    {
        var topic = $"test.{purpose}.{Guid.NewGuid():N}";
        cluster.CreateTopic(topic, partitions);
        cluster.CreateTopic(Topics.DeadLetter(topic), partitions);
        return topic;
    }

    public static string UniqueGroup(string purpose) => $"{purpose}-{Guid.NewGuid():N}";

    public void Dispose() => cluster.Dispose();
}

[CollectionDefinition(Name)]
public sealed class KafkaCollection : ICollectionFixture<KafkaFixture>
{
    public const string Name = "Kafka";
}
