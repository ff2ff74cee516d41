namespace Kinder.Workers.Email;

/// <summary>The mail relay Workers sends through (section <c>Smtp</c>): the local sink, Mailpit, or a real relay.</summary>
public sealed class SmtpOptions
{
    public const string SectionName = "Smtp";

    public string Host { get; set; } = "";

    public int Port { get; set; } = 25;

    /// <summary>The sender every Kinder email carries.</summary>
    public string From { get; set; } = "Kinder <no-reply@kinder.local>";

    /// <summary>Set both, or neither for a relay that takes mail without authentication.</summary>
    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>How to secure a relay on loopback; any other relay is always reached over TLS (see <see cref="SmtpSecureSocket"/>).</summary>
    public SmtpSecureSocket SecureSocket { get; set; } = SmtpSecureSocket.Auto;

    /// <summary>How long one SMTP operation (connect, a command) may take before the send fails and is retried.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether the host is this machine by name or address (no DNS lookup: a name resolving there does not count).</summary>
    public static bool IsLoopback(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (System.Net.IPAddress.TryParse(host.Trim('[', ']'), out var address) && System.Net.IPAddress.IsLoopback(address));
}

public enum SmtpSecureSocket
{
    /// <summary>Plain SMTP: only for a relay on loopback (local sinks); refused on start for any other host.</summary>
    None,

    /// <summary>Upgrade with STARTTLS, and fail if the server cannot.</summary>
    StartTls,

    /// <summary>
    /// On loopback, TLS from the start on port 465, else STARTTLS when the server offers it. Any other relay: TLS
    /// required (implicit on 465, else STARTTLS).
    /// </summary>
    Auto,
}
