using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Kinder.StripeFake;

/// <summary>
/// A local stand-in for Stripe's REST API — the subset Kinder calls, form-encoded as Stripe.net sends it — with
/// Stripe's test-mode behaviour, each change delivered to the configured webhook signed as Stripe signs it. Run by the
/// AppHost in local mode (Program.cs) and in process by the tests (<see cref="StartAsync"/>).
/// </summary>
public sealed class StripeFakeServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly CancellationTokenSource stopping = new();

    private StripeFakeServer(WebApplication app, StripeFakeOptions options, StripeObjects objects, WebhookSender webhooks)
    {
        this.app = app;
        Options = options;
        Objects = objects;
        Webhooks = webhooks;
    }

    public StripeFakeOptions Options { get; }

    public StripeObjects Objects { get; }

    public WebhookSender Webhooks { get; }

    /// <summary>The base URL Stripe.net is given (<c>StripeClient</c>'s <c>apiBase</c>), e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string Url { get; private set; } = "";

    /// <param name="webhookHandler">How webhooks are sent; a test gives the in-process Api's handler.</param>
    public static async Task<StripeFakeServer> StartAsync(StripeFakeOptions options, HttpMessageHandler? webhookHandler = null,
        Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{options.Port}");
        configure?.Invoke(builder);
        var app = builder.Build();
        var objects = new StripeObjects { ApiVersion = options.ApiVersion, Prices = options.Prices };
        var http = webhookHandler is null ? new HttpClient() : new HttpClient(webhookHandler, disposeHandler: false);
        http.Timeout = TimeSpan.FromSeconds(30);
        var webhooks = new WebhookSender(options, http, app.Logger);
        var server = new StripeFakeServer(app, options, objects, webhooks);
        objects.EventCreated += stripeEvent => webhooks.Deliver(stripeEvent, server.stopping.Token);
        server.Map();
        await app.StartAsync();
        server.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!
            .Addresses.First().TrimEnd('/');
        objects.BaseUrl = server.Url;
        return server;
    }

    private void Map()
    {
        var v1 = app.MapGroup("/v1").AddEndpointFilter(async (context, next) =>
        {
            var request = context.HttpContext.Request;
            if (request.Headers.Authorization.ToString() != $"Bearer {Options.ApiKey}" && !await HoldsClientSecretAsync(request))
            {
                return StripeErrors.Unauthorized();
            }
            try
            {
                return await next(context);
            }
            catch (StripeFakeException refusal)
            {
                return refusal.Response;
            }
        });
        v1.MapPost("/customers", (HttpRequest request) => CreateAsync(request, Objects.CreateCustomer));
        v1.MapPost("/payment_intents", (HttpRequest request) => CreateAsync(request, Objects.CreatePaymentIntent));
        v1.MapPost("/refunds", (HttpRequest request) => CreateAsync(request, Objects.Refund));
        v1.MapPost("/accounts", (HttpRequest request) => CreateAsync(request, Objects.CreateAccount));
        v1.MapPost("/account_links", (HttpRequest request) => CreateAsync(request, Objects.CreateAccountLink));
        v1.MapPost("/subscriptions", (HttpRequest request) => CreateAsync(request, Objects.CreateSubscription));
        v1.MapPost("/subscriptions/{id}", async (string id, HttpRequest request) =>
            Objects.UpdateSubscription(id, await StripeForm.ReadAsync(request)) is { } updated
                ? Results.Json(updated) : StripeErrors.Missing("subscription", id));
        v1.MapDelete("/subscriptions/{id}", (string id) =>
            Objects.CancelSubscription(id) is { } canceled ? Results.Json(canceled) : StripeErrors.Missing("subscription", id));
        // The fake's stand-in for Stripe's test clocks: ends the subscription's current period now (outcome=paid|failed).
        v1.MapPost("/test_helpers/subscriptions/{id}/advance", async (string id, HttpRequest request) =>
            Objects.AdvancePeriod(id, (await StripeForm.ReadAsync(request))["outcome"] != "failed") is { } advanced
                ? Results.Json(advanced) : StripeErrors.Missing("subscription", id));
        v1.MapPost("/payment_intents/{id}/cancel", (string id) =>
            Objects.CancelPaymentIntent(id) is { } canceled ? Results.Json(canceled) : StripeErrors.Missing("payment_intent", id));
        v1.MapPost("/payment_intents/{id}/confirm", async (string id, HttpRequest request) =>
        {
            var form = await StripeForm.ReadAsync(request);
            return Objects.Confirm(id, form) switch
            {
                null => StripeErrors.Missing("payment_intent", id),
                { Declined: true } declined => StripeErrors.CardDeclined(declined.Intent),
                var (intent, _) => Results.Json(intent),
            };
        });
        v1.MapGet("/{kind}/{id}", (string kind, string id) =>
            Objects.Find(id) is { } found ? Results.Json(found) : StripeErrors.Missing(kind.TrimEnd('s'), id));
        v1.MapGet("/events", () => Results.Json(new JsonObject
        {
            ["object"] = "list", ["url"] = "/v1/events", ["has_more"] = false,
            ["data"] = new JsonArray([.. Objects.Events.AsEnumerable().Reverse()]),
        }));
        // Stripe's hosted Connect onboarding form, finished at once; then back to the platform's return URL.
        app.MapGet("/connect/onboarding/{accountId}", (string accountId, HttpRequest request) =>
            Objects.CompleteOnboarding(accountId) is null ? Results.NotFound()
            : request.Query["return_url"].ToString() is { Length: > 0 } back ? Results.Redirect(back)
            : Results.Text($"Account {accountId} onboarded.\n"));
        app.MapGet("/", () => Results.Text(
            $"Kinder's Stripe fake. Webhooks go to {Options.WebhookUrl ?? "(none)"}. Cards: {StripeObjects.CardVisa} succeeds, " +
            $"{StripeObjects.CardDeclined} is declined.\n"));
    }

    /// <summary>
    /// A client (Stripe.js, a mobile SDK) reads and confirms its own PaymentIntent with a publishable key and the
    /// intent's client secret instead of the secret key; the fake asks only for the client secret.
    /// </summary>
    private async Task<bool> HoldsClientSecretAsync(HttpRequest request)
    {
        var path = request.Path.Value ?? "";
        if (!path.StartsWith("/v1/payment_intents/", StringComparison.Ordinal))
        {
            return false;
        }
        var id = path["/v1/payment_intents/".Length..].Split('/')[0];
        var secret = (await StripeForm.ReadAsync(request))["client_secret"];
        return secret is not null && Objects.Find(id) is { } intent && (string?)intent["client_secret"] == secret;
    }

    private async Task<IResult> CreateAsync(HttpRequest request, Func<StripeForm, JsonObject> create)
    {
        var form = await StripeForm.ReadAsync(request);
        var key = request.Headers["Idempotency-Key"].ToString();
        var (status, body) = Objects.Idempotent(key.Length > 0 ? $"{request.Path}:{key}" : null, () => (200, create(form)));
        return Results.Json(body, statusCode: status);
    }

    /// <summary>Sends a stored event again, as Stripe does on a retry or a manual resend; the status Kinder answered.</summary>
    public Task<int> RedeliverAsync(string eventId, CancellationToken cancellationToken = default) =>
        Objects.Events.FirstOrDefault(e => (string?)e["id"] == eventId) is { } stripeEvent
            ? Webhooks.DeliverOnceAsync(stripeEvent, cancellationToken)
            : throw new ArgumentException($"No event {eventId}.", nameof(eventId));

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        await app.StopAsync();
        await app.DisposeAsync();
        stopping.Dispose();
    }
}
