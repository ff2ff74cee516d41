using Kinder.Core.Email;
using Kinder.Core.Messaging;
using Kinder.Core.Outbox;
using Kinder.Tests.EndToEnd;
using Kinder.Tests.Infrastructure;

namespace Kinder.Tests.Email;

/// <summary>Mail across the real processes: an email request committed to the outbox reaches the stack's SMTP sink.</summary>
public sealed class EmailEndToEndTests(KinderStack stack) : IClassFixture<KinderStack>
{
    [Fact]
    public async Task An_email_request_committed_to_the_outbox_reaches_the_smtp_sink_within_5_seconds()
    {
        var to = $"e2e-{Guid.NewGuid():N}@example.test";
        var verifyUrl = $"https://app.kinder.test/verify-email?token={Guid.NewGuid():N}";
        await using (var db = TestDatabases.CreateContext(stack.DatabaseConnectionString))
        {
            db.AddIntegrationEvent(Topics.Email, to, new EmailRequestedIntegrationEvent(to, EmailTemplates.VerifyEmail,
                new Dictionary<string, string> { ["displayName"] = "Ana", ["verifyUrl"] = verifyUrl, ["token"] = "t" }));
            await db.SaveChangesAsync();
        }

        Kinder.SmtpSink.SinkMessage mail;
        try
        {
            mail = await stack.Mail.WaitForMessageAsync(message => message.IsFor(to), TimeSpan.FromSeconds(5));
        }
        catch (TimeoutException exception)
        {
            throw new TimeoutException(exception.Message + "\n" + stack.Logs(), exception);
        }

        Assert.Equal("Confirm your email for Kinder", mail.Subject);
        Assert.Contains(verifyUrl, mail.TextBody);
        await stack.Workers.WaitForLineAsync(line => line.Contains("Sent verify-email email") && !line.Contains(to), TimeSpan.FromSeconds(5));
    }
}
