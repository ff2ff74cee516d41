using System.Globalization;
using System.Net.Http.Json;
using Kinder.Api.Payments;
using Kinder.Core.Data;
using Kinder.Core.Identity;
using Kinder.Core.Payments;
using Kinder.Workers.Payments;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Kinder.KafkaMock;
using Kinder.StripeFake;
using Kinder.Tests.Infrastructure;
using Kinder.Workers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.EntityFrameworkCore;
using Stripe;

namespace Kinder.Tests.Payments;

/// <summary>
/// Payments end to end in this process: the Stripe fake on a loopback port (webhooks into the in-process Api), the Api
/// calling it through Stripe.net, and Workers on the Api's database with a Kafka mock broker of its own applying the
/// stored events. A fresh webhook secret and API key per stack, so nothing is written down.
/// </summary>
public sealed class PaymentsStack : IAsyncLifetime
{
    private readonly MockKafkaCluster kafka = TestKafka.StartOwn();
    private readonly SwitchableHandler webhookTarget = new();
    private PaymentsWorkersFactory? workers;

    public StripeFakeOptions StripeOptions { get; } = new()
    {
        ApiKey = $"sk_test_{Guid.NewGuid():N}",
        WebhookSecret = $"whsec_{Guid.NewGuid():N}",
        WebhookUrl = "http://localhost" + PaymentsApi.WebhookPath,
        DeliveryAttempts = 3,
    };

    public StripeFakeServer Stripe { get; private set; } = null!;

    public PaymentsApiFactory Api { get; private set; } = null!;

    /// <summary>The client a test confirms payments with, as a mobile app would with the client secret.</summary>
    public IStripeClient StripeClient { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Stripe = await StripeFakeServer.StartAsync(StripeOptions, webhookTarget,
            builder => builder.Logging.SetMinimumLevel(LogLevel.Warning));
        Api = new PaymentsApiFactory(this);
        await Api.InitializeAsync();
        webhookTarget.InnerHandler = Api.Server.CreateHandler();
        workers = new PaymentsWorkersFactory(this);
        _ = workers.Server; // its consumers and outbox relay start
        StripeClient = new StripeClient(StripeOptions.ApiKey, apiBase: Stripe.Url);
    }

    public KinderDbContext Db() => TestDatabases.CreateContext(Api.DatabaseConnectionString);

    public async Task<(User User, HttpClient Client)> NewUserAsync()
    {
        var user = await Api.CreateUserAsync();
        return (user, Api.CreateClientFor(user));
    }

    public async Task DisposeAsync()
    {
        // After every flow the class ran: the ledger still sums to the balance for every user.
        await AssertLedgerSumsToBalanceAsync();
        if (workers is not null)
        {
            await workers.DisposeAsync();
        }
        await Stripe.DisposeAsync();
        await Api.DisposeAsync();
        kafka.Dispose();
        webhookTarget.Dispose();
    }

    /// <summary>Polls until <paramref name="done"/> holds (Stripe's webhooks and Workers are asynchronous).</summary>
    public async Task EventuallyAsync(Func<Task<bool>> done, string what, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await done())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Not within {seconds} s: {what}\n{await DiagnoseAsync()}");
            }
            await Task.Delay(50);
        }
    }

    /// <summary>What the stack holds when a wait fails: the Stripe events stored and whether they were handled.</summary>
    private async Task<string> DiagnoseAsync()
    {
        await using var db = Db();
        var stored = await db.StripeEvents.OrderBy(e => e.ReceivedAt)
            .Select(e => $"{e.Id} {e.Type} {(e.ProcessedAt == null ? "unhandled" : "handled")}").ToListAsync();
        var fake = Stripe.Objects.Events.Select(e => $"{e["id"]} {e["type"]}");
        return $"stored: {string.Join("; ", stored)}\nsent by the fake: {string.Join("; ", fake)}";
    }

    /// <summary>For every user: balance = succeeded recharges' credits + the movements that are not a payment's, ≥ 0.</summary>
    public async Task AssertLedgerSumsToBalanceAsync()
    {
        await using var db = Db();
        var users = await db.CreditEntries.Select(e => e.UserId).Distinct().ToListAsync();
        foreach (var userId in users)
        {
            var balance = await db.CreditBalanceAsync(userId, CancellationToken.None);
            var recharged = await db.Payments.Where(p => p.UserId == userId && p.Kind == PaymentKind.Recharge &&
                p.Status == PaymentStatus.Succeeded).SumAsync(p => p.Credits);
            var other = await db.CreditEntries.Where(e => e.UserId == userId && e.PaymentId == null).SumAsync(e => e.Credits);
            Assert.Equal(recharged + other, balance);
            Assert.True(balance >= 0);
        }
    }

    /// <summary>The receipt emails queued for an address (their outbox payloads).</summary>
    public async Task<List<string>> ReceiptEmailsAsync(string email)
    {
        await using var db = Db();
        var payloads = await db.OutboxMessages.Where(m => m.Topic == Kinder.Messaging.Topics.Email && m.Key == email)
            .Select(m => m.Payload).ToListAsync(); // jsonb: filtered here
        return payloads.Where(p => p.Contains(Kinder.Core.Email.EmailTemplates.PaymentReceipt, StringComparison.Ordinal)).ToList();
    }

    /// <summary>One pass of Workers' expired-hold sweeper (its own timer is set to an hour here, so tests decide when).</summary>
    public Task<int> SweepExpiredHoldsAsync() =>
        workers!.Services.GetServices<IHostedService>().OfType<ExpiredHoldSweeper>().Single().SweepAsync(CancellationToken.None);

    public static async Task<long> BalanceAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<WalletResponse>("/api/v1/payments/wallet"))!.Balance;

    private void Configure(IWebHostBuilder builder)
    {
        builder.UseSetting("Stripe:ApiBase", Stripe.Url);
        builder.UseSetting("Stripe:ApiKey", StripeOptions.ApiKey);
        builder.UseSetting("Stripe:WebhookSecret", StripeOptions.WebhookSecret);
        builder.UseSetting("Payments:TicketHold", TicketHold.ToString());
        builder.UseSetting("Payments:HoldSweepInterval", "01:00:00");
        builder.UseSetting("Payments:WaitlistClaimWindow", ClaimWindow.ToString());
        builder.UseSetting("Premium:GracePeriod", PremiumGrace.ToString());
        builder.UseSetting("Premium:FreeEventsPer30Days", FreeEventsPer30Days.ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("Premium:PremiumEventsPer30Days", PremiumEventsPer30Days.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Small allowances, so a test reaches them.</summary>
    public const int FreeEventsPer30Days = 2;
    public const int PremiumEventsPer30Days = 3;

    /// <summary>Not the default (7 days): the grace period comes from configuration.</summary>
    public static readonly TimeSpan PremiumGrace = TimeSpan.FromDays(3);

    /// <summary>Short, so a test sees a waitlist offer lapse.</summary>
    public static readonly TimeSpan ClaimWindow = TimeSpan.FromSeconds(4);

    /// <summary>Short, so a test sees a hold expire.</summary>
    public static readonly TimeSpan TicketHold = TimeSpan.FromSeconds(3);

    public sealed class PaymentsApiFactory(PaymentsStack stack) : ApiFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            stack.Configure(builder);
        }
    }

    /// <summary>Workers on the Api's database (it relays the Api's outbox) and the stack's own broker.</summary>
    private sealed class PaymentsWorkersFactory(PaymentsStack stack) : WebApplicationFactory<WorkersAssembly>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseTestServers(stack.Api.DatabaseConnectionString);
            stack.Configure(builder);
            builder.UseOwnBroker(stack.kafka.BootstrapServers);
            builder.UseSetting("Kafka:Consumer:RetryBaseDelay", "00:00:00.050");
            builder.UseSetting("Kafka:Consumer:RetryMaxDelay", "00:00:00.200");
        }
    }

    /// <summary>The fake starts before the Api exists (the Api needs its URL); its webhooks reach the Api once it does.</summary>
    private sealed class SwitchableHandler : DelegatingHandler;
}
