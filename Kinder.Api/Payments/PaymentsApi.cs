using System.Security.Claims;
using Kinder.Api.Infrastructure;
using Kinder.Core.Data;
using Kinder.Core.Identity;
using Kinder.Core.Payments;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kinder.Api.Payments;

/// <summary>Payments through Stripe: products, the credits wallet and its history, recharges, and Stripe's webhook.</summary>
public static class PaymentsApi
{
    public const string WebhookPath = "/api/v1/payments/webhooks/stripe";

    public static IServiceCollection AddPayments(this IServiceCollection services)
    {
        services.AddPaymentsCore();
        services.AddScoped<RechargeWallet>();
        services.AddScoped<ListTransactions>();
        services.AddScoped<ReceiveStripeWebhook>();
        services.AddScoped<BuyTicket>();
        services.AddScoped<Subscribe>();
        services.AddScoped<CancelSubscription>();
        services.AddScoped<StartConnectOnboarding>();
        return services;
    }

    public static IEndpointRouteBuilder MapPaymentsApi(this IEndpointRouteBuilder app)
    {
        var payments = app.MapGroup("/payments").WithTags("Payments");
        payments.MapPost("/webhooks/stripe", ReceiveStripeWebhook)
            .WithName("ReceiveStripeWebhook")
            .WithSummary("Stripe calls it: the Stripe-Signature is checked (400 otherwise) and each event is handled once.")
            .ProducesProblem(StatusCodes.Status400BadRequest);

        var group = payments.MapGroup("").RequireAuthorization().ProducesProblem(StatusCodes.Status401Unauthorized);
        group.MapGet("/products", GetProducts)
            .WithName("GetPaymentProducts")
            .WithSummary("What can be bought: credit packs and the premium plan.");
        group.MapGet("/wallet", GetWallet)
            .WithName("GetWallet")
            .WithSummary("Your credits: the sum of your ledger, never negative.");
        group.MapPost("/wallet/recharge", Recharge)
            .WithName("RechargeWallet")
            .WithSummary("Buy a credit pack: confirm the returned clientSecret with Stripe; the credits arrive with Stripe's webhook, once. An Idempotency-Key header makes retries the same payment.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        group.MapGet("/transactions", GetTransactions)
            .WithName("GetTransactions")
            .WithSummary("Your payments and credit movements, newest first, cursor-paged.")
            .ProducesValidationProblem();
        group.MapGet("/transactions/{id:guid}", GetTransaction)
            .WithName("GetTransaction")
            .WithSummary("One of your payments, with its status as Stripe last reported it.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/subscription", GetSubscription)
            .WithName("GetSubscription")
            .WithSummary("Your premium subscription as Stripe last reported it (none before its first payment).");
        group.MapPost("/subscription", Subscribe)
            .WithName("Subscribe")
            .WithSummary("Start premium: confirm the returned clientSecret (the first invoice's PaymentIntent) with Stripe; premium begins with Stripe's webhook. 409 if you already have it.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        group.MapDelete("/subscription", CancelSubscription)
            .WithName("CancelSubscription")
            .WithSummary("Cancel premium at the end of the paid period (an unpaid subscription ends at once).")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        group.MapGet("/entitlements", GetEntitlements)
            .WithName("GetEntitlements")
            .WithSummary("What your subscription unlocks now, and until when.");
        group.MapPost("/connect/onboarding", StartConnectOnboarding)
            .WithName("StartConnectOnboarding")
            .WithSummary("Organizers: a Stripe Connect onboarding link (an Express account is made once); open the url to finish. Card tickets of your events are then paid to you less the platform fee.")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        group.MapGet("/connect", GetConnect)
            .WithName("GetConnect")
            .WithSummary("Your Connect account as Stripe last reported it: none, pending (onboarding not finished), restricted or active.");
        group.MapGet("/tickets/{id:guid}", GetTicket)
            .WithName("GetTicket")
            .WithSummary("One of your tickets: pending while a card payment holds its place, then confirmed, failed or refunded.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        app.MapGroup("/events").WithTags("Payments").RequireAuthorization()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .MapPost("/{id:guid}/tickets", BuyTicket)
            .WithName("BuyTicket")
            .WithSummary("Buy a place on a paid event: with credits it is confirmed at once (402 INSUFFICIENT_CREDITS if they do not cover it); by card the place is held until holdExpiresAt while the client confirms the clientSecret. A full event is 409 EVENT_FULL.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status402PaymentRequired)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    public static Task<Results<Created<TicketResponse>, ProblemHttpResult>> BuyTicket(Guid id, TicketRequest request,
        ClaimsPrincipal principal, BuyTicket useCase, CancellationToken cancellationToken) =>
        useCase.HandleAsync(id, request, principal, cancellationToken);

    public static async Task<Results<Ok<TicketResponse>, ProblemHttpResult>> GetTicket(Guid id, ClaimsPrincipal principal,
        KinderDbContext db, CancellationToken cancellationToken)
    {
        var userId = principal.GetUserId();
        var ticket = await db.Tickets.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id && t.UserId == userId,
            cancellationToken);
        return ticket is null ? Problems.NotFound()
            : TypedResults.Ok(new TicketResponse(ticket.Id, ticket.Status, ticket.PaymentId, null, ticket.HoldExpiresAt,
                ticket.PayWith == TicketPayment.Credits ? ticket.Credits : null));
    }

    public static async Task<Ok<SubscriptionResponse>> GetSubscription(ClaimsPrincipal principal, KinderDbContext db,
        CancellationToken cancellationToken)
    {
        var userId = principal.GetUserId();
        var subscription = await db.Subscriptions.AsNoTracking()
            .Where(s => s.UserId == userId && s.Status != SubscriptionStatus.Incomplete)
            .OrderByDescending(s => s.CreatedAt).FirstOrDefaultAsync(cancellationToken);
        return TypedResults.Ok(SubscriptionResponse.From(subscription));
    }

    public static Task<Results<Created<SubscribeResponse>, ProblemHttpResult>> Subscribe(SubscribeRequest request,
        ClaimsPrincipal principal, Subscribe useCase, CancellationToken cancellationToken) =>
        useCase.HandleAsync(request, principal, cancellationToken);

    public static Task<Results<Ok<SubscriptionResponse>, ProblemHttpResult>> CancelSubscription(ClaimsPrincipal principal,
        CancelSubscription useCase, CancellationToken cancellationToken) =>
        useCase.HandleAsync(principal, cancellationToken);

    public static async Task<Ok<EntitlementsResponse>> GetEntitlements(ClaimsPrincipal principal, PremiumPolicy premium,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var entitlements = await premium.ForUserAsync(principal.GetUserId(), time.GetUtcNow(), cancellationToken);
        return TypedResults.Ok(new EntitlementsResponse(entitlements.Premium, entitlements.Features, entitlements.Until));
    }

    public static Task<Results<Ok<ConnectOnboardingResponse>, ProblemHttpResult>> StartConnectOnboarding(
        ClaimsPrincipal principal, StartConnectOnboarding useCase, CancellationToken cancellationToken) =>
        useCase.HandleAsync(principal, cancellationToken);

    public static async Task<Ok<ConnectResponse>> GetConnect(ClaimsPrincipal principal, KinderDbContext db,
        CancellationToken cancellationToken)
    {
        var userId = principal.GetUserId();
        var account = await db.ConnectAccounts.AsNoTracking().FirstOrDefaultAsync(a => a.UserId == userId, cancellationToken);
        return TypedResults.Ok(ConnectResponse.From(account));
    }

    public static Task<Results<Ok, ProblemHttpResult>> ReceiveStripeWebhook(HttpRequest request,
        ReceiveStripeWebhook useCase, CancellationToken cancellationToken) =>
        useCase.HandleAsync(request, cancellationToken);

    public static Ok<ProductList> GetProducts(IOptions<PaymentsOptions> payments) =>
        TypedResults.Ok(new ProductList(payments.Value.Products.Select(ProductResponse.From).ToList()));

    public static async Task<Ok<WalletResponse>> GetWallet(ClaimsPrincipal principal, KinderDbContext db,
        IOptions<PaymentsOptions> payments, CancellationToken cancellationToken) =>
        TypedResults.Ok(new WalletResponse(await db.CreditBalanceAsync(principal.GetUserId(), cancellationToken),
            payments.Value.Currency));

    public static Task<Results<Created<RechargeResponse>, ProblemHttpResult>> Recharge(
        [AsParameters] RechargeArguments arguments, ClaimsPrincipal principal, RechargeWallet useCase,
        CancellationToken cancellationToken) =>
        useCase.HandleAsync(arguments, principal, cancellationToken);

    public static Task<Ok<TransactionPage>> GetTransactions([AsParameters] TransactionsQuery query,
        ClaimsPrincipal principal, ListTransactions useCase, CancellationToken cancellationToken) =>
        useCase.HandleAsync(query, principal, cancellationToken);

    public static async Task<Results<Ok<TransactionResponse>, ProblemHttpResult>> GetTransaction(Guid id,
        ClaimsPrincipal principal, KinderDbContext db, CancellationToken cancellationToken)
    {
        var userId = principal.GetUserId();
        var payment = await db.Payments.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id && p.UserId == userId,
            cancellationToken);
        return payment is null ? Problems.NotFound() : TypedResults.Ok(ListTransactions.ForPayment(payment));
    }
}
