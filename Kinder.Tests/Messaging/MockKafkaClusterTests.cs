using Confluent.Kafka;
using Kinder.KafkaMock;
using Kinder.Messaging;

namespace Kinder.Tests.Messaging;

public sealed class MockKafkaClusterTests
{
    [Fact]
    public void The_mock_cluster_runs_in_its_own_librdkafka_build_beside_the_one_Confluent_Kafka_loaded()
    {
        _ = Library.Version; // Confluent.Kafka's own librdkafka, loaded
        var path = MockKafkaCluster.NativeLibraryPath;

        Assert.EndsWith(MockLibrary.RelativePath, path, StringComparison.Ordinal);
        Assert.True(File.Exists(path), path);
        if (OperatingSystem.IsLinux())
        {
            var mapped = File.ReadLines("/proc/self/maps").Select(line => line[(line.IndexOf('/') is var slash and >= 0 ? slash : line.Length)..])
                .Where(file => Path.GetFileName(file).Contains("librdkafka", StringComparison.Ordinal)).Distinct().ToList();
            Assert.Contains(path, mapped);
            Assert.Contains(mapped, file => file != path);
        }
    }

    [Fact]
    public void A_new_mock_cluster_serves_every_Kinder_topic_and_its_dead_letter_topic_the_chat_path_on_more_partitions()
    {
        using var cluster = MockKafkaCluster.Start(brokers: 2);
        cluster.CreateKinderTopics(partitions: 3, chatPartitions: 6);

        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = cluster.BootstrapServers }).Build();
        var metadata = admin.GetMetadata(TimeSpan.FromSeconds(5));

        Assert.Equal(2, metadata.Brokers.Count);
        Assert.All(Topics.All.SelectMany(topic => new[] { topic, Topics.DeadLetter(topic) }), topic =>
            Assert.Equal(Topics.ChatPath.Contains(topic) ? 6 : 3,
                Assert.Single(metadata.Topics, candidate => candidate.Topic == topic).Partitions.Count));
        Assert.Equal([Topics.MessagesIncoming, Topics.MessagesOutgoing], Topics.ChatPath);
    }
}
