using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Kinder.SmtpSink;

/// <summary>
/// One client connection: the SMTP dialogue of RFC 5321 (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT) for a
/// server that accepts every message. Commands are answered one by one in order, so pipelining clients work.
/// </summary>
internal sealed partial class SmtpSession(Stream stream, EndPoint? remote, SmtpSinkServer server)
{
    private const int MaxCommandLength = 4096; // RFC 5321 asks for 512; clients with long parameters exist
    private const int MaxRecipients = 1000;
    private static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(5); // RFC 5321 §4.5.3.2.7

    private readonly SmtpLineReader reader = new(stream);
    private string? clientName;
    private string? reversePath; // null: no transaction; "": the null sender <>
    private readonly List<string> recipients = [];

    public async Task RunAsync(CancellationToken stopping)
    {
        try
        {
            await ReplyAsync($"220 {server.Options.HostName} ESMTP Kinder SMTP sink ready", stopping);
            while (true)
            {
                var line = await ReadAsync(MaxCommandLength, stopping);
                if (line is null) return;
                if (line.Value.TooLong)
                {
                    await ReplyAsync("500 5.5.2 Line too long", stopping);
                    continue;
                }
                if (!await HandleAsync(Encoding.UTF8.GetString(line.Value.Content.Span), stopping)) return;
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            await TryReplyAsync("421 4.3.2 Service shutting down");
        }
        catch (TimeoutException)
        {
            await TryReplyAsync("421 4.4.2 Idle for too long, closing the connection");
        }
        catch (IOException)
        {
            // The client went away mid-dialogue; nothing of an unfinished message is kept.
        }
    }

    /// <returns>Whether the dialogue goes on.</returns>
    private async Task<bool> HandleAsync(string command, CancellationToken stopping)
    {
        var space = command.IndexOf(' ');
        var verb = (space < 0 ? command : command[..space]).ToUpperInvariant();
        var argument = space < 0 ? "" : command[(space + 1)..].Trim();
        switch (verb)
        {
            case "EHLO":
            case "HELO":
                if (argument.Length == 0)
                {
                    await ReplyAsync($"501 5.5.4 Syntax: {verb} hostname", stopping);
                    break;
                }
                clientName = argument;
                ResetTransaction();
                if (verb == "HELO")
                {
                    await ReplyAsync($"250 {server.Options.HostName}", stopping);
                    break;
                }
                await ReplyAsync(string.Join("\r\n",
                    $"250-{server.Options.HostName} greets {argument}",
                    "250-8BITMIME",
                    "250-SMTPUTF8",
                    "250-PIPELINING",
                    $"250 SIZE {server.Options.MaxMessageSize.ToString(CultureInfo.InvariantCulture)}"), stopping);
                break;
            case "MAIL":
                await MailAsync(argument, stopping);
                break;
            case "RCPT":
                await RecipientAsync(argument, stopping);
                break;
            case "DATA":
                await DataAsync(argument, stopping);
                break;
            case "RSET":
                ResetTransaction();
                await ReplyAsync("250 2.0.0 OK", stopping);
                break;
            case "NOOP":
                await ReplyAsync("250 2.0.0 OK", stopping);
                break;
            case "VRFY":
                await ReplyAsync("252 2.5.2 Cannot verify the user, but will accept the message", stopping);
                break;
            case "QUIT":
                await ReplyAsync($"221 2.0.0 {server.Options.HostName} closing connection", stopping);
                return false;
            case "STARTTLS" or "AUTH" or "BDAT" or "EXPN" or "ETRN" or "TURN" or "HELP":
                await ReplyAsync("502 5.5.1 Command not implemented", stopping);
                break;
            default:
                await ReplyAsync("500 5.5.2 Command unrecognized", stopping);
                break;
        }
        return true;
    }

    private async Task MailAsync(string argument, CancellationToken stopping)
    {
        if (clientName is null)
        {
            await ReplyAsync("503 5.5.1 Send EHLO or HELO first", stopping);
            return;
        }
        if (reversePath is not null)
        {
            await ReplyAsync("503 5.5.1 Nested MAIL command", stopping);
            return;
        }
        var match = MailFromPattern().Match(argument);
        if (!match.Success)
        {
            await ReplyAsync("501 5.5.4 Syntax: MAIL FROM:<address>", stopping);
            return;
        }
        foreach (var parameter in match.Groups["parameters"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var (name, value) = parameter.IndexOf('=') is var equals and >= 0
                ? (parameter[..equals].ToUpperInvariant(), parameter[(equals + 1)..])
                : (parameter.ToUpperInvariant(), "");
            if (name == "SIZE")
            {
                if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var size))
                {
                    await ReplyAsync("501 5.5.4 SIZE needs a number", stopping);
                    return;
                }
                if (size > server.Options.MaxMessageSize)
                {
                    await ReplyAsync("552 5.3.4 Message size exceeds fixed maximum message size", stopping);
                    return;
                }
            }
            else if (name is not ("BODY" or "SMTPUTF8" or "RET" or "ENVID" or "AUTH"))
            {
                await ReplyAsync($"555 5.5.4 Unsupported MAIL parameter {name}", stopping);
                return;
            }
        }
        reversePath = Unbracket(match.Groups["address"].Value);
        await ReplyAsync("250 2.1.0 OK", stopping);
    }

    private async Task RecipientAsync(string argument, CancellationToken stopping)
    {
        if (reversePath is null)
        {
            await ReplyAsync("503 5.5.1 Send MAIL first", stopping);
            return;
        }
        var match = RecipientPattern().Match(argument);
        var address = match.Success ? Unbracket(match.Groups["address"].Value) : "";
        if (address.Length == 0)
        {
            await ReplyAsync("501 5.5.4 Syntax: RCPT TO:<address>", stopping);
            return;
        }
        if (recipients.Count >= MaxRecipients)
        {
            await ReplyAsync("452 4.5.3 Too many recipients", stopping);
            return;
        }
        recipients.Add(address);
        await ReplyAsync("250 2.1.5 OK", stopping);
    }

    private async Task DataAsync(string argument, CancellationToken stopping)
    {
        if (argument.Length > 0)
        {
            await ReplyAsync("501 5.5.4 DATA takes no argument", stopping);
            return;
        }
        if (reversePath is null || recipients.Count == 0)
        {
            await ReplyAsync(reversePath is null ? "503 5.5.1 Send MAIL first" : "503 5.5.1 Send RCPT first", stopping);
            return;
        }
        await ReplyAsync("354 End data with <CR><LF>.<CR><LF>", stopping);

        var maxSize = server.Options.MaxMessageSize;
        using var data = new MemoryStream();
        var tooLarge = false;
        while (true)
        {
            // Data lines may be long (RFC 5321 allows 1000; real mail has more): read up to the message limit.
            var line = await ReadAsync((int)Math.Min(maxSize + 1, int.MaxValue - 2), stopping)
                ?? throw new IOException("The client closed the connection during DATA.");
            var content = line.Content.Span;
            if (!line.TooLong && content.Length == 1 && content[0] == (byte)'.') break;
            if (content.Length > 0 && content[0] == (byte)'.') content = content[1..]; // dot-unstuffing, RFC 5321 §4.5.2
            if (tooLarge || line.TooLong || data.Length + content.Length + 2 > maxSize)
            {
                tooLarge = true;
                continue; // read to the end of the data, keep nothing
            }
            data.Write(content);
            data.Write("\r\n"u8);
        }

        if (tooLarge)
        {
            ResetTransaction();
            await ReplyAsync("552 5.3.4 Message size exceeds fixed maximum message size", stopping);
            return;
        }
        if (server.TryRefuse())
        {
            ResetTransaction();
            await ReplyAsync("451 4.3.0 Temporarily refusing messages (as asked); try again later", stopping);
            return;
        }
        SinkMessage message;
        try
        {
            message = await server.DeliverAsync(clientName, remote, reversePath, [.. recipients], data.ToArray(), stopping);
        }
        catch (IOException exception)
        {
            server.ReportError($"could not store a message: {exception.Message}");
            ResetTransaction();
            await ReplyAsync("451 4.3.0 Could not store the message; try again later", stopping);
            return;
        }
        ResetTransaction();
        await ReplyAsync($"250 2.0.0 OK: queued as {message.Id}", stopping);
    }

    private void ResetTransaction()
    {
        reversePath = null;
        recipients.Clear();
    }

    private async Task<SmtpLine?> ReadAsync(int maxLength, CancellationToken stopping)
    {
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        idle.CancelAfter(IdleTimeout);
        try
        {
            return await reader.ReadLineAsync(maxLength, idle.Token);
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
            throw new TimeoutException();
        }
    }

    private async Task ReplyAsync(string reply, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(Encoding.UTF8.GetBytes(reply + "\r\n"), cancellationToken);
        await stream.FlushAsync(cancellationToken);
    }

    private async Task TryReplyAsync(string reply)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await ReplyAsync(reply, timeout.Token);
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The connection is going away anyway.
        }
    }

    private static string Unbracket(string address) =>
        address.StartsWith('<') && address.EndsWith('>') ? address[1..^1] : address;

    // Lenient about a space after the colon and a missing pair of brackets, as most servers are.
    [GeneratedRegex(@"^FROM:\s*(?<address><[^>]*>|[^\s<>]+)(?<parameters>(\s+\S+)*)\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex MailFromPattern();

    [GeneratedRegex(@"^TO:\s*(?<address><[^>]*>|[^\s<>]+)(\s+\S+)*\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex RecipientPattern();
}
