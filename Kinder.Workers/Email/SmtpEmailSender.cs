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
        await client.ConnectAsync(settings.Host, settings.Port, SecureSocketOptionsFor(settings.SecureSocket), cancellationToken);
        if (!string.IsNullOrEmpty(settings.Username))
        {
            await client.AuthenticateAsync(settings.Username, settings.Password ?? "", cancellationToken);
        }
        await client.SendAsync(message, cancellationToken);
        await client.DisconnectAsync(quit: true, cancellationToken);
    }

    private static SecureSocketOptions SecureSocketOptionsFor(SmtpSecureSocket secureSocket) => secureSocket switch
    {
        SmtpSecureSocket.None => SecureSocketOptions.None,
        SmtpSecureSocket.StartTls => SecureSocketOptions.StartTls,
        _ => SecureSocketOptions.Auto,
    };
}
