using System.Net.Sockets;
using System.Text;
using Kinder.SmtpSink;

namespace Kinder.Tests.Email;

/// <summary>The SMTP sink the runner and the tests deliver to, driven by a raw client so every byte is ours.</summary>
public sealed class SmtpSinkTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly string directory = Path.Combine(Path.GetTempPath(), "kinder-sink-" + Guid.NewGuid().ToString("N"));
    private SmtpSinkServer sink = null!;

    public Task InitializeAsync()
    {
        sink = SmtpSinkServer.Start(new SmtpSinkOptions { Directory = directory });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await sink.DisposeAsync();
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task Data_is_dot_unstuffed_and_written_to_an_eml_file()
    {
        await using var client = await RawClient.ConnectAsync(sink);
        await client.ExpectAsync("220");
        await client.SendAsync("EHLO tests.local");
        var capabilities = await client.ExpectAsync("250");
        Assert.Contains("8BITMIME", capabilities);
        Assert.Contains("SIZE ", capabilities);
        await client.SendAsync("MAIL FROM:<from@example.test> BODY=8BITMIME");
        await client.ExpectAsync("250");
        await client.SendAsync("RCPT TO:<to@example.test>");
        await client.ExpectAsync("250");
        await client.SendAsync("DATA");
        await client.ExpectAsync("354");
        await client.SendAsync("Subject: Dots\r\n\r\n..leading dot\r\n...\r\nmiddle . dot\r\nGrüße\r\n.");
        await client.ExpectAsync("250");
        await client.SendAsync("QUIT");
        await client.ExpectAsync("221");

        var message = await sink.WaitForMessageAsync(mail => mail.IsFor("to@example.test"), Patience);

        Assert.Equal("from@example.test", message.ReversePath);
        Assert.Equal("Dots", message.Subject);
        Assert.Equal("Subject: Dots\r\n\r\n.leading dot\r\n..\r\nmiddle . dot\r\nGrüße\r\n", Encoding.UTF8.GetString(message.Data));
        Assert.NotNull(message.FilePath);
        Assert.Equal(directory, Path.GetDirectoryName(message.FilePath));
        Assert.Equal(message.Data, await File.ReadAllBytesAsync(message.FilePath));
    }

    [Fact]
    public async Task Two_clients_can_send_at_the_same_time()
    {
        await using var first = await RawClient.ConnectAsync(sink);
        await using var second = await RawClient.ConnectAsync(sink);
        foreach (var client in new[] { first, second })
        {
            await client.ExpectAsync("220");
            await client.SendAsync("HELO tests.local");
            await client.ExpectAsync("250");
        }
        await first.SendAsync("MAIL FROM:<>");
        await first.ExpectAsync("250");
        await second.SendAsync("MAIL FROM:<second@example.test>");
        await second.ExpectAsync("250");
        await first.SendAsync("RCPT TO:<one@example.test>");
        await first.ExpectAsync("250");
        await second.SendAsync("RCPT TO:<two@example.test>");
        await second.ExpectAsync("250");
        await first.SendAsync("DATA");
        await first.ExpectAsync("354");
        await second.SendAsync("DATA");
        await second.ExpectAsync("354");

        // The second finishes while the first is still in the middle of its data.
        await first.SendAsync("Subject: First\r\n\r\nhalf way");
        await second.SendAsync("Subject: Second\r\n\r\nall of it\r\n.");
        await second.ExpectAsync("250");
        await first.SendAsync("the rest\r\n.");
        await first.ExpectAsync("250");

        var one = await sink.WaitForMessageAsync(mail => mail.IsFor("one@example.test"), Patience);
        var two = await sink.WaitForMessageAsync(mail => mail.IsFor("two@example.test"), Patience);
        Assert.Equal("First", one.Subject);
        Assert.Equal("", one.ReversePath);
        Assert.Equal("Subject: First\r\n\r\nhalf way\r\nthe rest\r\n", Encoding.UTF8.GetString(one.Data));
        Assert.Equal("Second", two.Subject);
        Assert.Equal(2, sink.Messages.Count);
    }

    [Fact]
    public async Task Commands_out_of_order_are_refused_and_rset_clears_the_transaction()
    {
        await using var client = await RawClient.ConnectAsync(sink);
        await client.ExpectAsync("220");
        await client.SendAsync("MAIL FROM:<a@example.test>");
        await client.ExpectAsync("503");
        await client.SendAsync("EHLO tests.local");
        await client.ExpectAsync("250");
        await client.SendAsync("RCPT TO:<b@example.test>");
        await client.ExpectAsync("503");
        await client.SendAsync("MAIL FROM:<a@example.test>");
        await client.ExpectAsync("250");
        await client.SendAsync("RCPT TO:<b@example.test>");
        await client.ExpectAsync("250");
        await client.SendAsync("RSET");
        await client.ExpectAsync("250");
        await client.SendAsync("DATA");
        await client.ExpectAsync("503");
        await client.SendAsync("NOOP");
        await client.ExpectAsync("250");
        await client.SendAsync("MAIL FROM:<a@example.test> SIZE=999999999999");
        await client.ExpectAsync("552");
        await client.SendAsync("BOGUS");
        await client.ExpectAsync("500");
        await client.SendAsync("QUIT");
        await client.ExpectAsync("221");

        Assert.Empty(sink.Messages);
    }

    /// <summary>A line-at-a-time SMTP client with no smarts: it sends exactly what it is given, plus CRLF.</summary>
    private sealed class RawClient : IAsyncDisposable
    {
        private readonly TcpClient tcp;
        private readonly NetworkStream stream;
        private readonly StreamReader reader;

        private RawClient(TcpClient tcp)
        {
            this.tcp = tcp;
            stream = tcp.GetStream();
            reader = new StreamReader(stream, Encoding.UTF8);
        }

        public static async Task<RawClient> ConnectAsync(SmtpSinkServer sink)
        {
            var tcp = new TcpClient();
            await tcp.ConnectAsync(sink.EndPoint);
            return new RawClient(tcp);
        }

        public Task SendAsync(string text) => stream.WriteAsync(Encoding.UTF8.GetBytes(text + "\r\n")).AsTask();

        /// <summary>Reads one reply (all its lines) and checks its code.</summary>
        public async Task<string> ExpectAsync(string code)
        {
            using var timeout = new CancellationTokenSource(Patience);
            var reply = new StringBuilder();
            while (true)
            {
                var line = await reader.ReadLineAsync(timeout.Token) ?? throw new IOException("The sink closed the connection.");
                reply.AppendLine(line);
                if (line.Length < 4 || line[3] != '-') break;
            }
            Assert.True(reply.ToString().StartsWith(code, StringComparison.Ordinal), $"Expected {code}, got: {reply}");
            return reply.ToString();
        }

        public async ValueTask DisposeAsync()
        {
            await stream.DisposeAsync();
            tcp.Dispose();
        }
    }
}
