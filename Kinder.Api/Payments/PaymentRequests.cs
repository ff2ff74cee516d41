using FluentValidation;
using Kinder.Api.Infrastructure;
using Kinder.Core.Payments;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Kinder.Api.Payments;

/// <summary><c>POST /payments/wallet/recharge</c>'s body: which credit pack.</summary>
public sealed record RechargeRequest(string? ProductId);

/// <summary>The recharge's arguments: the body and the optional <c>Idempotency-Key</c> header.</summary>
public sealed record RechargeArguments(
    [FromBody] RechargeRequest Request,
    [FromHeader(Name = "Idempotency-Key")] string? IdempotencyKey);

public sealed class RechargeArgumentsValidator : AbstractValidator<RechargeArguments>
{
    public RechargeArgumentsValidator(IOptions<PaymentsOptions> products)
    {
        RuleFor(arguments => arguments.Request.ProductId).NotEmpty().OverridePropertyName("productId")
            .Must(id => products.Value.Find(id) is { Kind: ProductKind.Credits })
            .WithMessage("Not a credit pack: GET /payments/products lists them.");
        RuleFor(arguments => arguments.IdempotencyKey).MaximumLength(Payment.MaxIdempotencyKeyLength)
            .OverridePropertyName("Idempotency-Key");
    }
}

/// <summary><c>GET /payments/transactions</c>'s query: the page.</summary>
public sealed record TransactionsQuery(
    [FromQuery(Name = "limit")] int? Limit,
    [FromQuery(Name = "cursor")] string? Cursor)
{
    public int PageSize() => Paging.PageSize(Limit);
}

public sealed class TransactionsQueryValidator : AbstractValidator<TransactionsQuery>
{
    public TransactionsQueryValidator()
    {
        RuleFor(query => query.Limit).ValidPageSize();
        RuleFor(query => query.Cursor).KnownCursor(cursor => Cursors.TryDecode<TransactionCursor>(cursor, out _));
    }
}

/// <summary>Where a transactions page ended: the last item's time and id (newest first).</summary>
public sealed record TransactionCursor(DateTimeOffset CreatedAt, Guid Id);

/// <summary><c>POST /payments/subscription</c>'s body: which plan.</summary>
public sealed record SubscribeRequest(string? ProductId);

public sealed class SubscribeRequestValidator : AbstractValidator<SubscribeRequest>
{
    public SubscribeRequestValidator(IOptions<PaymentsOptions> products)
    {
        RuleFor(request => request.ProductId).NotEmpty()
            .Must(id => products.Value.Find(id) is { Kind: ProductKind.Subscription, StripePriceId.Length: > 0 })
            .WithMessage("Not a plan: GET /payments/products lists them.");
    }
}
