using System.Net;
using MimeKit;

namespace Kinder.SmtpSink;

/// <summary>One message the sink accepted: its SMTP envelope, the bytes as received (dot-unstuffed) and their parse.</summary>
public sealed class SinkMessage
{
    internal SinkMessage(string id, string? clientName, EndPoint? client, string reversePath, IReadOnlyList<string> recipients,
        byte[] data, string? filePath, DateTimeOffset receivedAt)
    {
        Id = id;
        ClientName = clientName;
        Client = client;
        ReversePath = reversePath;
        Recipients = recipients;
        Data = data;
        FilePath = filePath;
        ReceivedAt = receivedAt;
        Message = Parse(data);
    }

    public string Id { get; }

    /// <summary>The name the client gave in EHLO or HELO.</summary>
    public string? ClientName { get; }

    public EndPoint? Client { get; }

    /// <summary>MAIL FROM; empty for the null sender <c>&lt;&gt;</c>.</summary>
    public string ReversePath { get; }

    /// <summary>RCPT TO, in order: who the message was delivered to, whatever its headers say.</summary>
    public IReadOnlyList<string> Recipients { get; }

    public byte[] Data { get; }

    public MimeMessage Message { get; }

    /// <summary>The <c>.eml</c> file it was written to, when the sink writes to a directory.</summary>
    public string? FilePath { get; }

    public DateTimeOffset ReceivedAt { get; }

    public string Subject => Message.Subject ?? "";

    public string? TextBody => Message.TextBody;

    public string? HtmlBody => Message.HtmlBody;

    public bool IsFor(string address) => Recipients.Any(recipient => string.Equals(recipient, address, StringComparison.OrdinalIgnoreCase));

    // The sink accepts whatever it is sent; what MimeKit cannot read as a message is kept as plain text.
    private static MimeMessage Parse(byte[] data)
    {
        try
        {
            using var stream = new MemoryStream(data, writable: false);
            return MimeMessage.Load(stream);
        }
        catch (FormatException)
        {
            return new MimeMessage { Body = new TextPart("plain") { Text = System.Text.Encoding.UTF8.GetString(data) } };
        }
    }

    public override string ToString() => $"{Id} to {string.Join(", ", Recipients)}: \"{Subject}\"";
}
