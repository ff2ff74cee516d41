using System.Security.Claims;
using FluentValidation;
using Kinder.Api.Conversations;
using Kinder.Api.Infrastructure;
using Kinder.Core.Identity;
using Microsoft.AspNetCore.Mvc;

namespace Kinder.Api.Blocks;

/// <summary><c>GET /users/me/blocks</c>'s query: the page.</summary>
public sealed record BlockedUsersQuery(
    [FromQuery(Name = "limit")] int? Limit,
    [FromQuery(Name = "cursor")] string? Cursor)
{
    public int PageSize() => Paging.PageSize(Limit);
}

public sealed class BlockedUsersQueryValidator : AbstractValidator<BlockedUsersQuery>
{
    public BlockedUsersQueryValidator()
    {
        RuleFor(query => query.Limit).ValidPageSize();
        RuleFor(query => query.Cursor).KnownCursor(cursor => BlockCursor.TryDecode(cursor, out _));
    }
}

/// <summary><c>POST /users/{id}/block</c>'s target: the person named in the route, blocked by the caller.</summary>
public sealed record BlockTarget([FromRoute(Name = "id")] Guid Id, ClaimsPrincipal Principal)
{
    public Guid BlockerId() => Principal.GetUserId();
}

public sealed class BlockTargetValidator : AbstractValidator<BlockTarget>
{
    public BlockTargetValidator()
    {
        RuleFor(target => target.Id).Must((target, id) => id != target.BlockerId())
            .WithMessage("You cannot block yourself.");
    }
}
