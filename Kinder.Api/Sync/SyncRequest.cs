using FluentValidation;
using Microsoft.AspNetCore.Mvc;

namespace Kinder.Api.Sync;

/// <summary><c>GET /sync</c>: the cursor of the last call (none: a full snapshot) and how many items a page holds.</summary>
public sealed record SyncRequest(
    [FromQuery(Name = "since")] string? Since,
    [FromQuery(Name = "limit")] int? Limit)
{
    public const int DefaultLimit = 200;
    public const int MaxLimit = 500;

    public int PageSize() => Limit ?? DefaultLimit;
}

public sealed class SyncRequestValidator : AbstractValidator<SyncRequest>
{
    public SyncRequestValidator()
    {
        RuleFor(request => request.PageSize()).InclusiveBetween(1, SyncRequest.MaxLimit).OverridePropertyName("limit")
            .WithMessage($"The limit is between 1 and {SyncRequest.MaxLimit}.");
        RuleFor(request => request.Since).Must(since => SyncCursor.TryDecode(since, out _))
            .WithMessage("Not a cursor /sync gave out.");
    }
}
