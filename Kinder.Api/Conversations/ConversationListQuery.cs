using FluentValidation;
using Kinder.Api.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Kinder.Api.Conversations;

/// <summary><c>GET /conversations</c>'s query: the page, and whether the archived ones are listed instead.</summary>
public sealed record ConversationListQuery(
    [FromQuery(Name = "limit")] int? Limit,
    [FromQuery(Name = "cursor")] string? Cursor,
    [FromQuery(Name = "archived")] bool? Archived)
{
    public int PageSize() => Paging.PageSize(Limit);
}

public sealed class ConversationListQueryValidator : AbstractValidator<ConversationListQuery>
{
    public ConversationListQueryValidator()
    {
        RuleFor(query => query.Limit).ValidPageSize();
        RuleFor(query => query.Cursor).KnownCursor(cursor => ConversationCursor.TryDecode(cursor, out _));
    }
}
