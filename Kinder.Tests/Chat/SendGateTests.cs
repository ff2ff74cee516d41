using System.Net;
using System.Net.Http.Json;
using Kinder.Core;
using Kinder.Tests.Infrastructure;

namespace Kinder.Tests.Chat;

/// <summary>REST sends pass the send gate the hub passes too (MessageSendGate; ChatHubTests for the hub).</summary>
public sealed class SendGateTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Sending_with_an_unverified_email_is_403_EMAIL_NOT_VERIFIED()
    {
        var (unverified, client) = await api.CreateChatUserAsync("Unverified", emailVerified: false);
        var (_, bobClient) = await api.CreateChatUserAsync("Bob");
        var conversation = await bobClient.DirectAsync(unverified.Id);

        var response = await client.PostAsJsonAsync($"/api/v1/conversations/{conversation}/messages",
            new { clientMessageId = "1", body = "Hi" });

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, ErrorCodes.EmailNotVerified);
    }
}
