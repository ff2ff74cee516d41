using System.Globalization;
using Kinder.KafkaMock;
using Kinder.Messaging;
using Kinder.SmtpSink;
using Kinder.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace Kinder.Tests.Email;

/// <summary>
/// Workers in process sending to an SMTP sink of its own, on a Kafka mock broker of its own: no other host under test
/// joins its <c>workers-email</c> group (and delays it with rebalances) or reads its records. Retries are quick, and
/// published outbox rows are pruned at once.
/// </summary>
public sealed class EmailWorkersFactory : WorkersFactory
{
    private readonly MockKafkaCluster kafka = TestKafka.StartOwn();

    public SmtpSinkServer Sink { get; } = SmtpSinkServer.Start();

    public string KafkaBootstrapServers => kafka.BootstrapServers;

    public const int MaxAttempts = 3;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseOwnBroker(kafka.BootstrapServers);
        builder.UseSetting("Smtp:Host", Sink.Host);
        builder.UseSetting("Smtp:Port", Sink.Port.ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("Kafka:Consumer:MaxAttempts", MaxAttempts.ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("Outbox:Retention", "00:00:00");
        builder.UseSetting("Outbox:PruneInterval", "00:00:00.200");
        builder.UseSetting("Kafka:Consumer:RetryBaseDelay", "00:00:00.050");
        builder.UseSetting("Kafka:Consumer:RetryMaxDelay", "00:00:00.200");
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Sink.DisposeAsync();
        kafka.Dispose();
    }
}
