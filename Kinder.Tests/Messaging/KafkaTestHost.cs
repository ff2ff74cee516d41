using Confluent.Kafka;
using Kinder.Messaging;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Kinder.Tests.Messaging;

/// <summary>Hosts wired the way the services wire them (<c>AddKafkaClient</c>), with short retry delays.</summary>
internal static class KafkaTestHost
{
    public const int MaxAttempts = 3;

    public static IHost Create(
        string? bootstrapServers, ITestOutputHelper output, Action<IServiceCollection>? services = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ApplicationName = "kinder-tests",
            EnvironmentName = Environments.Development,
            DisableDefaults = true,
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{Core.KinderResources.Kafka}"] = bootstrapServers,
            ["Kafka:Consumer:MaxAttempts"] = MaxAttempts.ToString(),
            ["Kafka:Consumer:RetryBaseDelay"] = "00:00:00.020",
            ["Kafka:Consumer:RetryMaxDelay"] = "00:00:00.100",
            // The mock coordinator parks a newcomer's join for session.timeout.ms − 1 s after the last member left
            // (a real broker empties the group at once): with the 45 s default every restart test would wait 44 s.
            ["Aspire:Confluent:Kafka:Consumer:Config:SessionTimeoutMs"] = "3000",
            ["Aspire:Confluent:Kafka:Consumer:Config:HeartbeatIntervalMs"] = "500",
        });
        builder.Logging.AddProvider(new TestOutputLoggerProvider(output));
        builder.AddKafkaClient();
        services?.Invoke(builder.Services);
        return builder.Build();
    }

    /// <summary>A host running one consumer group whose handler reports to <paramref name="probe"/>.</summary>
    public static async Task<IHost> StartConsumerAsync(
        string bootstrapServers, ITestOutputHelper output, HandlerProbe probe, string groupId, string topic)
    {
        var host = Create(bootstrapServers, output, services => services
            .AddSingleton(probe)
            .AddKafkaConsumer<ProbeHandler>(groupId, topic));
        await host.StartAsync();
        return host;
    }

    /// <summary>Every record currently on one partition, read without a group.</summary>
    public static List<ConsumeResult<string?, byte[]?>> ReadPartition(string bootstrapServers, string topic, int partition = 0)
    {
        using var consumer = new ConsumerBuilder<string?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = "reader-" + Guid.NewGuid().ToString("N"),
            EnableAutoCommit = false,
        }).Build();
        var topicPartition = new TopicPartition(topic, partition);
        var end = consumer.QueryWatermarkOffsets(topicPartition, TimeSpan.FromSeconds(5)).High;
        consumer.Assign(new TopicPartitionOffset(topicPartition, Offset.Beginning));
        var records = new List<ConsumeResult<string?, byte[]?>>();
        while (records.Count < end)
            records.Add(consumer.Consume(TimeSpan.FromSeconds(5)) ?? throw new TimeoutException($"{topic}[{partition}] ended early."));
        return records;
    }
}
