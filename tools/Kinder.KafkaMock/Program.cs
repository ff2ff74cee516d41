// A Kafka-protocol broker for machines without Docker: librdkafka's in-process mock cluster, with every Kinder topic.
using System.Runtime.InteropServices;
using Kinder.Messaging;
using Kinder.KafkaMock;
using Microsoft.Extensions.Logging;

MockArguments arguments;
try
{
    arguments = MockArguments.Parse(args);
}
catch (ArgumentException exception)
{
    Console.Error.WriteLine(exception.Message);
    Console.Error.WriteLine(MockArguments.Usage);
    return 2;
}

// Before the cluster, so it outlives the retention loop that logs to it.
using var loggers = LoggerFactory.Create(logging => logging.AddSimpleConsole(console =>
{
    console.SingleLine = true;
    console.TimestampFormat = "HH:mm:ss ";
}));
using var cluster = MockKafkaCluster.Start(arguments.Brokers);
var topics = cluster.CreateKinderTopics(arguments.Partitions, arguments.ChatPartitions);

if (arguments.RetentionSeconds > 0)
    cluster.StartRetention(TimeSpan.FromSeconds(arguments.RetentionSeconds), loggers.CreateLogger("Kinder.KafkaMock.Retention"),
        arguments.ConsumedRetentionSeconds > 0
            ? new ConsumedRetention(TimeSpan.FromSeconds(arguments.ConsumedRetentionSeconds), ChatPathGroups.ReadersByTopic)
            : null);

Console.WriteLine($"Kinder Kafka mock: librdkafka's in-memory mock cluster ({arguments.Brokers} broker(s), {topics.Count} topics " +
    $"× {arguments.Partitions} partitions, {string.Join(" and ", Topics.ChatPath)} × {arguments.ChatPartitions}). Records are kept in memory only and are lost when it stops; " +
    (arguments.RetentionSeconds > 0
        ? $"records older than {arguments.RetentionSeconds} s are deleted (--retention)" +
          (arguments.ConsumedRetentionSeconds > 0
              ? $", chat-path records their groups have committed once {arguments.ConsumedRetentionSeconds} s old (--consumed-retention)."
              : ".")
        : "no retention (--retention 0): up to librdkafka's cap of 100,000 message sets per partition."));
await using var relay = arguments.Port is { } port ? BootstrapRelay.Start(port, cluster.BootstrapServers) : null;
var bootstrapServers = arguments.Port is { } fixedPort ? $"localhost:{fixedPort}" : cluster.BootstrapServers;
Console.WriteLine($"BOOTSTRAP={bootstrapServers}");

if (arguments.BootstrapFile is { } bootstrapFile)
    BootstrapFile.Write(bootstrapFile, bootstrapServers);

var stopped = new TaskCompletionSource<PosixSignal>(TaskCreationOptions.RunContinuationsAsynchronously);
void Stop(PosixSignalContext context)
{
    context.Cancel = true; // we exit by ourselves, after disposing the cluster
    stopped.TrySetResult(context.Signal);
}
using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

var signal = await stopped.Task;
Console.WriteLine($"{signal}: stopping the mock cluster; its records are discarded.");
if (arguments.BootstrapFile is { } written)
    BootstrapFile.Delete(written);
return 0;
