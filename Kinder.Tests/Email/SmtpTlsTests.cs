using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Kinder.SmtpSink;
using Kinder.Workers.Email;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Kinder.Tests.Email;

/// <summary>Mail leaves this machine over TLS only; a relay on loopback (the local sink, smtp4dev) may go without.</summary>
public sealed class SmtpTlsTests
{
    [Theory]
    [InlineData("smtp.example.com", 587, SmtpSecureSocket.Auto, SecureSocketOptions.StartTls)]
    [InlineData("smtp.example.com", 25, SmtpSecureSocket.Auto, SecureSocketOptions.StartTls)]
    [InlineData("smtp.example.com", 465, SmtpSecureSocket.Auto, SecureSocketOptions.SslOnConnect)]
    [InlineData("192.0.2.10", 25, SmtpSecureSocket.None, SecureSocketOptions.StartTls)]
    [InlineData("localhost", 25, SmtpSecureSocket.Auto, SecureSocketOptions.Auto)]
    [InlineData("127.0.0.1", 2525, SmtpSecureSocket.None, SecureSocketOptions.None)]
    [InlineData("::1", 2525, SmtpSecureSocket.StartTls, SecureSocketOptions.StartTls)]
    public void A_relay_off_loopback_is_reached_over_tls_whatever_is_configured(string host, int port,
        SmtpSecureSocket configured, SecureSocketOptions expected) =>
        Assert.Equal(expected, SmtpEmailSender.SecureSocketOptionsFor(new SmtpOptions { Host = host, Port = port, SecureSocket = configured }));

    [Fact]
    public async Task A_relay_on_a_non_loopback_address_that_offers_no_starttls_is_refused_and_gets_no_mail()
    {
        // The sink speaks no TLS; on this machine's own non-loopback address it stands for a remote relay without STARTTLS.
        var address = NonLoopbackAddress();
        Assert.True(address is not null, "This test needs a non-loopback IPv4 address on this machine.");
        await using var sink = SmtpSinkServer.Start(new SmtpSinkOptions { Address = address });
        var sender = new SmtpEmailSender(Options.Create(new SmtpOptions
        {
            Host = sink.Host, Port = sink.Port, Timeout = TimeSpan.FromSeconds(10),
        }));
        var message = new MimeMessage { Subject = "Reset your password", Body = new TextPart("plain") { Text = "secret link" } };
        message.From.Add(MailboxAddress.Parse("no-reply@kinder.local"));
        message.To.Add(MailboxAddress.Parse("ana@example.test"));

        await Assert.ThrowsAsync<NotSupportedException>(() => sender.SendAsync(message, CancellationToken.None));
        Assert.Empty(sink.Messages);
    }

    private static IPAddress? NonLoopbackAddress() => NetworkInterface.GetAllNetworkInterfaces()
        .Where(network => network.OperationalStatus == OperationalStatus.Up)
        .SelectMany(network => network.GetIPProperties().UnicastAddresses)
        .Select(unicast => unicast.Address)
        .FirstOrDefault(address => address.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(address));
}
