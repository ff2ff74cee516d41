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

    public SmtpSecureSocket SecureSocket { get; set; } = SmtpSecureSocket.Auto;

    /// <summary>How long one SMTP operation (connect, a command) may take before the send fails and is retried.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}

public enum SmtpSecureSocket
{
    /// <summary>Plain SMTP (local sinks).</summary>
    None,

    /// <summary>Upgrade with STARTTLS, and fail if the server cannot.</summary>
    StartTls,

    /// <summary>TLS from the start on port 465, else STARTTLS when the server offers it.</summary>
    Auto,
}
