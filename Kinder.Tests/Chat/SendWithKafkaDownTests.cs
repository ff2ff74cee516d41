using System.Net;
using System.Net.Http.Json;
using Kinder.Core;
using Kinder.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace Kinder.Tests.Chat;

/// <summary>
/// A send whose record the broker cannot take answers <c>503 SERVICE_UNAVAILABLE</c> with <c>Retry-After</c> once the
/// producer's delivery timeout (seconds, not librdkafka's five-minute default) runs out, instead of hanging.
/// </summary>
public sealed class SendWithKafkaDownTests(SendWithKafkaDownTests.KafkaDownApiFactory api)
    : IClassFixture<SendWithKafkaDownTests.KafkaDownApiFactory>
{
    [Fact]
    public async Task A_send_while_Kafka_is_unreachable_is_503_with_Retry_After()
    {
        var (_, client) = await api.CreateChatUserAsync("Ana");
        // Well under librdkafka's default message timeout (300 s): a hanging send fails this test.
        client.Timeout = TimeSpan.FromSeconds(60);
        var (bob, _) = await api.CreateChatUserAsync("Bob");
        var conversation = await client.DirectAsync(bob.Id);

        var response = await client.PostAsJsonAsync($"/api/v1/conversations/{conversation}/messages",
            new { clientMessageId = "down-1", body = "Anyone there?" });

        await response.AssertProblemAsync(HttpStatusCode.ServiceUnavailable, ErrorCodes.ServiceUnavailable);
        Assert.NotNull(response.Headers.RetryAfter);
    }

    /// <summary>The Api with Kafka's bootstrap pointed at a port nothing listens on.</summary>
    public sealed class KafkaDownApiFactory : ApiFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting($"ConnectionStrings:{KinderResources.Kafka}", $"127.0.0.1:{LocalPorts.Reserve()}");
        }
    }
}
