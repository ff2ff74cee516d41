using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Kinder.Tests.EndToEnd;

namespace Kinder.Tests.AppHost;

/// <summary>
/// The hub as a web or React Native app meets it: the SignalR JavaScript client with its default negotiation, against
/// the Realtime address the AppHost prints, where two replicas share one port behind a proxy without sticky sessions.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class SignalRJavaScriptClientTests(KinderAppHost host)
{
    private const int Connections = 4;

    [Fact]
    public async Task Javascript_clients_with_default_negotiation_connect_through_the_shared_address_and_all_receive_a_message()
    {
        var sender = await host.VerifiedUserAsync();
        var recipient = await host.VerifiedUserAsync();
        using var api = host.ApiClient(sender.AccessToken);
        var conversationId = await host.DirectConversationAsync(api, recipient.User.Id);

        // Connections alternate between the replicas (the proxy balances round-robin): both are exercised.
        using var client = StartNodeClient(new Uri(host.RealtimeUrl, "/hubs/chat"), recipient.AccessToken);
        try
        {
            var output = new List<string>();
            await ReadUntilAsync(client, output, line => line == "ready");

            using var send = await api.PostAsJsonAsync($"/api/v1/conversations/{conversationId}/messages",
                new { clientMessageId = Guid.NewGuid().ToString(), type = "text", body = "Hello, JavaScript" });
            Assert.Equal(HttpStatusCode.Accepted, send.StatusCode);

            await ReadUntilAsync(client, output, _ => output.Count(line => line.StartsWith("message ", StringComparison.Ordinal)) == Connections);
            Assert.All(Enumerable.Range(0, Connections), connection =>
                Assert.Contains($"message {connection} Hello, JavaScript", output));
        }
        finally
        {
            if (!client.HasExited)
                client.Kill();
        }
    }

    private static Process StartNodeClient(Uri hubUrl, string accessToken)
    {
        var startInfo = new ProcessStartInfo("node",
            [Path.Combine(AppContext.BaseDirectory, "AppHost", "signalr-client.mjs"), hubUrl.ToString(), accessToken, $"{Connections}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        startInfo.Environment["KINDER_NODE_MODULES"] = Path.Combine(BuildOutput.RepositoryRoot, ".kinder", "node", "node_modules");
        return Process.Start(startInfo) ?? throw new InvalidOperationException("node did not start");
    }

    private static async Task ReadUntilAsync(Process client, List<string> output, Func<string, bool> done)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await client.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            output.Add(line);
            if (done(line))
                return;
        }
        var errors = await client.StandardError.ReadToEndAsync(timeout.Token);
        throw new InvalidOperationException(
            $"The JavaScript client ended (exit {(client.HasExited ? client.ExitCode : -1)}):\n{string.Join('\n', output)}\n{errors}");
    }
}
