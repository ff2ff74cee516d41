using System.Text;
using Confluent.Kafka;
using Kinder.Core.Email;
using Kinder.Messaging;
using Kinder.Core.Outbox;
using Kinder.SmtpSink;
using Kinder.Tests.Infrastructure;
using Kinder.Workers.Email;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using StackExchange.Redis;

namespace Kinder.Tests.Email;

/// <summary>Workers' email consumer: outbox → Kafka → template → MailKit → SMTP, against a real SMTP server.</summary>
public sealed class EmailSendingTests(EmailWorkersFactory workers) : IClassFixture<EmailWorkersFactory>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_welcome_email_written_to_the_outbox_arrives_with_the_link_in_both_bodies()
    {
        _ = workers.Server;
        var to = NewAddress();
        var verifyUrl = $"https://app.kinder.test/verify-email?token=tok-{Guid.NewGuid():N}&source=email";
        await using (var db = TestDatabases.CreateContext(workers.DatabaseConnectionString))
        {
            db.AddIntegrationEvent(Topics.Email, to, new EmailRequestedIntegrationEvent(to, EmailTemplates.WelcomeVerify,
                new Dictionary<string, string> { ["displayName"] = "Ana", ["verifyUrl"] = verifyUrl, ["token"] = "tok-123" }));
            await db.SaveChangesAsync();
        }

        var mail = await workers.Sink.WaitForMessageAsync(message => message.IsFor(to), Patience);

        Assert.Equal([to], mail.Recipients);
        Assert.Equal("Welcome to Kinder! Please confirm your email", mail.Subject);
        Assert.Equal("no-reply@kinder.local", Assert.IsType<MailboxAddress>(Assert.Single(mail.Message.From)).Address);
        Assert.Equal("Ana", Assert.IsType<MailboxAddress>(Assert.Single(mail.Message.To)).Name);
        Assert.Equal("multipart/alternative", mail.Message.Body?.ContentType.MimeType);
        Assert.Contains(verifyUrl, mail.TextBody);
        Assert.Contains("tok-123", mail.TextBody);
        Assert.Contains($"href=\"{verifyUrl.Replace("&", "&amp;")}\"", mail.HtmlBody);
    }

    [Fact]
    public async Task The_same_envelope_delivered_twice_is_mailed_once()
    {
        _ = workers.Server;
        var to = NewAddress();
        var key = "dedupe-" + Guid.NewGuid().ToString("N");
        var envelope = Envelope(new EmailRequestedIntegrationEvent(to, EmailTemplates.PasswordChanged,
            new Dictionary<string, string> { ["displayName"] = "Ana" }));
        var producer = workers.Services.GetRequiredService<IKafkaProducer>();

        await producer.ProduceAsync(Topics.Email, key, envelope);
        await producer.ProduceAsync(Topics.Email, key, envelope);
        // Same key, same partition, handled in order: once this one is mailed, the redelivery has been handled too.
        var marker = NewAddress();
        await producer.ProduceAsync(Topics.Email, key, Envelope(new EmailRequestedIntegrationEvent(marker, EmailTemplates.PasswordChanged,
            new Dictionary<string, string> { ["displayName"] = "Marker" })));
        await workers.Sink.WaitForMessageAsync(message => message.IsFor(marker), Patience);

        Assert.Single(workers.Sink.Messages, message => message.IsFor(to));
        using var redis = await ConnectionMultiplexer.ConnectAsync(TestServers.Redis);
        Assert.True(await redis.GetDatabase().KeyExistsAsync(SentEmails.Key(envelope.Id)));
    }

    [Fact]
    public async Task A_send_the_relay_refuses_is_retried_until_it_goes_through()
    {
        _ = workers.Server;
        var to = NewAddress();
        workers.Sink.RefuseNextMessages(EmailWorkersFactory.MaxAttempts - 1);

        await workers.Services.GetRequiredService<IKafkaProducer>().ProduceAsync(Topics.Email, to,
            Envelope(new EmailRequestedIntegrationEvent(to, EmailTemplates.PasswordChanged, new Dictionary<string, string> { ["displayName"] = "Ana" })));

        await workers.Sink.WaitForMessageAsync(message => message.IsFor(to), Patience);
        Assert.Equal(EmailWorkersFactory.MaxAttempts - 1, workers.Sink.RefusedCount);
        Assert.Single(workers.Sink.Messages, message => message.IsFor(to));
    }

    [Theory]
    [InlineData("no-such-template", "displayName")]
    [InlineData(EmailTemplates.PasswordReset, "resetUrl")]
    public async Task A_request_that_cannot_be_rendered_is_dead_lettered_and_sends_nothing(string template, string omittedValue)
    {
        _ = workers.Server;
        var to = NewAddress();
        var values = new Dictionary<string, string>
        {
            ["displayName"] = "Ana", ["resetUrl"] = "https://app.kinder.test/reset", ["token"] = "t",
        };
        values.Remove(omittedValue);
        var envelope = Envelope(new EmailRequestedIntegrationEvent(to, template, values));

        await workers.Services.GetRequiredService<IKafkaProducer>().ProduceAsync(Topics.Email, to, envelope);

        var deadLetter = ConsumeDeadLetter(envelope.Id);
        Assert.Equal(typeof(InvalidEmailRequestException).FullName, Header(deadLetter, KafkaHeaderNames.DeadLetterErrorType));
        Assert.Equal(EmailWorkersFactory.MaxAttempts.ToString(), Header(deadLetter, KafkaHeaderNames.DeadLetterAttempts));
        Assert.DoesNotContain(workers.Sink.Messages, message => message.IsFor(to));
    }

    private ConsumeResult<string, byte[]> ConsumeDeadLetter(Guid envelopeId)
    {
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = workers.KafkaBootstrapServers,
            GroupId = "email-dlq-test-" + Guid.NewGuid().ToString("N"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
        }).Build();
        consumer.Subscribe(Topics.DeadLetter(Topics.Email));
        try
        {
            var deadline = DateTime.UtcNow + Patience;
            while (DateTime.UtcNow < deadline)
            {
                var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
                if (result?.Message is not null && Header(result, KafkaHeaderNames.MessageId) == envelopeId.ToString())
                {
                    return result;
                }
            }
            throw new TimeoutException($"Record {envelopeId} did not reach {Topics.DeadLetter(Topics.Email)} within {Patience}.");
        }
        finally
        {
            consumer.Close();
        }
    }

    private static KafkaEnvelope Envelope(EmailRequestedIntegrationEvent request) =>
        KafkaEnvelope.Create(EmailRequestedIntegrationEvent.RecordType, request);

    private static string Header(ConsumeResult<string, byte[]> record, string name) =>
        record.Message.Headers.TryGetLastBytes(name, out var value) ? Encoding.UTF8.GetString(value) : "";

    private static string NewAddress() => $"user-{Guid.NewGuid():N}@example.test";
}
