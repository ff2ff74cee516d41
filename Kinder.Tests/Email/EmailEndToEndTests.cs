using Aspire.Hosting.Testing;
using Kinder.Core;
using Kinder.Core.Email;
using Kinder.Core.Outbox;
using Kinder.Messaging;
using Kinder.Messaging.Outbox;
using Kinder.Tests.AppHost;
using Kinder.Tests.Infrastructure;

namespace Kinder.Tests.Email;

/// <summary>Mail across the AppHost's running services: an email request committed to the outbox reaches its inbox (smtp4dev).</summary>
[Collection(AppHostCollection.Name)]
public sealed class EmailEndToEndTests(KinderAppHost host)
{
    [Fact]
    public async Task An_email_request_committed_to_the_outbox_reaches_the_smtp_sink_within_5_seconds()
    {
        var to = $"e2e-{Guid.NewGuid():N}@example.test";
        var verifyUrl = $"https://app.kinder.test/verify-email?token={Guid.NewGuid():N}";
        OutboxMessage request;
        await using (var db = TestDatabases.CreateContext((await host.App.GetConnectionStringAsync(KinderResources.Database))!))
        {
            request = db.AddIntegrationEvent(Topics.Email, to, new EmailRequestedIntegrationEvent(to, EmailTemplates.VerifyEmail,
                new Dictionary<string, string> { ["displayName"] = "Ana", ["verifyUrl"] = verifyUrl, ["token"] = "t" }));
            await db.SaveChangesAsync();
        }

        MimeKit.MimeMessage mail;
        try
        {
            mail = await host.Mail.WaitForMessageToAsync(to, TimeSpan.FromSeconds(5));
        }
        catch (TimeoutException exception)
        {
            throw new TimeoutException(exception.Message + "\n" + await host.LogsAsync(), exception);
        }

        Assert.Equal("Confirm your email for Kinder", mail.Subject);
        Assert.Contains(verifyUrl, mail.TextBody);
        // Other tests of the graph send this template too: the line of this request (its envelope id) names no address.
        var sent = await host.WaitForLogLineAsync(KinderResources.Workers,
            line => line.Contains($"Sent verify-email email {request.Id}"), TimeSpan.FromSeconds(5));
        Assert.DoesNotContain(to, sent);
    }
}
