using Kinder.Core;
using Kinder.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace Kinder.Tests.Messaging;

[Collection(KafkaCollection.Name)]
public sealed class KafkaClientRegistrationTests(KafkaFixture kafka, ITestOutputHelper output)
{
    [Fact]
    public async Task The_kafka_health_check_is_healthy_under_aspires_name_and_not_a_liveness_check_when_a_broker_answers()
    {
        using var host = KafkaTestHost.Create(kafka.BootstrapServers, output);

        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        var entry = report.Entries["Aspire.Confluent.Kafka.Producer"];
        Assert.Equal(HealthStatus.Healthy, entry.Status);
        Assert.DoesNotContain(Extensions.LiveTag, entry.Tags);
    }

    [Fact]
    public async Task The_kafka_health_check_is_unhealthy_within_seconds_when_no_broker_answers()
    {
        using var host = KafkaTestHost.Create("127.0.0.1:1", output); // nothing listens on port 1

        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        Assert.Equal(HealthStatus.Unhealthy, report.Entries[KafkaExtensions.HealthCheckName].Status);
        Assert.True(report.TotalDuration < TimeSpan.FromSeconds(5), $"took {report.TotalDuration}");
    }

    [Fact]
    public async Task A_host_without_the_kafka_connection_string_fails_to_start_naming_the_setting()
    {
        using var host = KafkaTestHost.Create(bootstrapServers: null, output);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains($"ConnectionStrings:{KinderResources.Kafka}", error.Message);
    }
}
