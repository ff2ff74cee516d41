using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using Confluent.Kafka;
using Kinder.Api;
using Kinder.Core;
using Kinder.Core.Email;
using Kinder.Messaging;
using Kinder.SmtpSink;
using Kinder.Tests.Identity;
using Kinder.Tests.Infrastructure;
using Kinder.Tests.Messaging;
using Kinder.Workers.Email;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using StackExchange.Redis;

namespace Kinder.Tests.Email;

/// <summary>The Api on the email Workers' database and broker: sign-up and reset mails from request to inbox.</summary>
public sealed class AccountEmailsStack : IAsyncLifetime
{
    public EmailWorkersFactory Workers { get; } = new();

    public ApiOnWorkers Api { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Workers.InitializeAsync();
        Api = new ApiOnWorkers(Workers);
        _ = Workers.Server; // the relay and the email consumer run
    }

    public async Task DisposeAsync()
    {
        await Api.DisposeAsync();
        await Workers.DisposeAsync();
    }

    public sealed class ApiOnWorkers(EmailWorkersFactory workers) : WebApplicationFactory<ApiAssembly>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseTestServers(workers.DatabaseConnectionString);
            builder.UseSetting($"ConnectionStrings:{KinderResources.Kafka}", workers.KafkaBootstrapServers);
        }
    }
}

/// <summary>
/// Account emails carry no reusable secret on their way: the token exists in the sent email alone (Workers mint it at
/// send time), the outbox rows are pruned once relayed, and the link in the mail works.
/// </summary>
public sealed class AccountEmailLinkTests(AccountEmailsStack stack) : IClassFixture<AccountEmailsStack>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Mailed_links_work_and_their_tokens_are_on_no_kafka_record_and_the_relayed_rows_are_pruned()
    {
        var client = stack.Api.CreateClient();
        var email = Accounts.NewEmail();
        await client.RegisterAsync(email);
        var verifyToken = TokenIn(await MailAsync(email, EmailTemplates.WelcomeVerify), "verify-email");
        Assert.Equal(HttpStatusCode.Accepted,
            (await client.PostAsJsonAsync("/api/v1/auth/forgot-password", new { email })).StatusCode);
        var resetToken = TokenIn(await MailAsync(email, EmailTemplates.PasswordReset), "reset-password");

        var records = EmailRecordsTo(email, count: 2);
        Assert.Equal(2, records.Count);
        foreach (var record in records)
        {
            Assert.DoesNotContain(verifyToken, record);
            Assert.DoesNotContain(resetToken, record);
        }
        await using (var db = TestDatabases.CreateContext(stack.Workers.DatabaseConnectionString))
        {
            await Eventually.TrueAsync(() => !db.OutboxMessages.Any(message => message.Key == email),
                "the relayed email rows were pruned", Patience);
        }

        Assert.Equal(HttpStatusCode.NoContent,
            (await client.PostAsJsonAsync("/api/v1/auth/verify-email", new { token = verifyToken })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsJsonAsync("/api/v1/auth/reset-password",
            new { token = resetToken, newPassword = Accounts.OtherPassword })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostLoginAsync(email, Accounts.OtherPassword)).StatusCode);
    }

    [Fact]
    public async Task A_reset_request_mailed_again_after_a_redelivery_leaves_only_the_newest_link_working()
    {
        var client = stack.Api.CreateClient();
        var email = Accounts.NewEmail();
        await client.RegisterAsync(email);
        await MailAsync(email, EmailTemplates.WelcomeVerify);
        await client.PostAsJsonAsync("/api/v1/auth/forgot-password", new { email });
        var first = await MailAsync(email, EmailTemplates.PasswordReset);
        var record = Assert.Single(RawEmailRecordsTo(email, 2), r => Encoding.UTF8.GetString(r.Message.Value).Contains(EmailTemplates.PasswordReset));

        // A redelivery the sent-email memory missed (it lives in Redis): the same record, mailed again.
        var envelopeId = Guid.Parse(Encoding.UTF8.GetString(record.Message.Headers.GetLastBytes(KafkaHeaderNames.MessageId)));
        using (var redis = await ConnectionMultiplexer.ConnectAsync(TestServers.Redis))
        {
            await redis.GetDatabase().KeyDeleteAsync(SentEmails.Key(envelopeId));
        }
        using (var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = stack.Workers.KafkaBootstrapServers }).Build())
        {
            await producer.ProduceAsync(Topics.Email, record.Message);
        }
        var second = await stack.Workers.Sink.WaitForMessageAsync(
            message => message.IsFor(email) && message.Id != first.Id && Template(message) == EmailTemplates.PasswordReset, Patience);

        var (older, newer) = (TokenIn(first, "reset-password"), TokenIn(second, "reset-password"));
        Assert.NotEqual(older, newer);
        var refused = await client.PostAsJsonAsync("/api/v1/auth/reset-password", new { token = older, newPassword = Accounts.OtherPassword });
        await refused.AssertProblemAsync(HttpStatusCode.BadRequest, ErrorCodes.InvalidToken);
        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsJsonAsync("/api/v1/auth/reset-password",
            new { token = newer, newPassword = Accounts.OtherPassword })).StatusCode);
    }

    private Task<SinkMessage> MailAsync(string email, string template) =>
        stack.Workers.Sink.WaitForMessageAsync(message => message.IsFor(email) && Template(message) == template, Patience);

    private static string? Template(SinkMessage message) => message.Message.Headers[EmailComposer.TemplateHeader];

    private static string TokenIn(SinkMessage mail, string path)
    {
        var link = Regex.Match(mail.TextBody ?? "", $@"/{path}\?token=(?<token>[A-Za-z0-9_\-]+)");
        Assert.True(link.Success, $"No {path} link in:\n{mail.TextBody}");
        return link.Groups["token"].Value;
    }

    private List<string> EmailRecordsTo(string email, int count) =>
        [.. RawEmailRecordsTo(email, count).Select(record => Encoding.UTF8.GetString(record.Message.Value)
            + string.Concat(record.Message.Headers.Select(header => Encoding.UTF8.GetString(header.GetValueBytes()))))];

    /// <summary>Every record on the email topic keyed by the address, from the start, until <paramref name="count"/> arrived.</summary>
    private List<ConsumeResult<string, byte[]>> RawEmailRecordsTo(string email, int count)
    {
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = stack.Workers.KafkaBootstrapServers,
            GroupId = "email-secrets-test-" + Guid.NewGuid().ToString("N"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
        }).Build();
        consumer.Subscribe(Topics.Email);
        var found = new List<ConsumeResult<string, byte[]>>();
        var deadline = DateTime.UtcNow + Patience;
        while (found.Count < count && DateTime.UtcNow < deadline)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result?.Message?.Key == email)
            {
                found.Add(result);
            }
        }
        consumer.Close();
        return found;
    }
}
