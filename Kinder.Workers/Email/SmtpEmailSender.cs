using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Kinder.Workers.Email;

/// <summary>Sends one message through the configured relay with MailKit: connect, authenticate if set, send, quit.</summary>
/// <remarks>A connection per message keeps failure handling simple; email volume here is a few per user action.</remarks>
public sealed class SmtpEmailSender(IOptions<SmtpOptions> options)
{
    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        using var client = new SmtpClient { Timeout = (int)settings.Timeout.TotalMilliseconds };
        await client.ConnectAsync(settings.Host, settings.Port, SecureSocketOptionsFor(settings), cancellationToken);
        if (!string.IsNullOrEmpty(settings.Username))
        {
            await client.AuthenticateAsync(settings.Username, settings.Password ?? "", cancellationToken);
        }
        await client.SendAsync(message, cancellationToken);
        await client.DisconnectAsync(quit: true, cancellationToken);
    }

    /// <summary>
    /// A relay on this machine (loopback: the local sink, smtp4dev) may be spoken to in plain text, as configured; any
    /// other is reached over TLS only — implicit TLS on port 465, else STARTTLS, required: a relay that does not offer
    /// it is refused rather than sent account links in the clear.
    /// </summary>
    public static SecureSocketOptions SecureSocketOptionsFor(SmtpOptions settings) => SmtpOptions.IsLoopback(settings.Host)
        ? settings.SecureSocket switch
        {
            SmtpSecureSocket.None => SecureSocketOptions.None,
            SmtpSecureSocket.StartTls => SecureSocketOptions.StartTls,
            _ => SecureSocketOptions.Auto,
        }
        : settings.Port == 465 ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTls;
}
