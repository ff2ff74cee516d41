using FluentValidation;
using Kinder.Api.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Kinder.Api.Conversations;

/// <summary><c>GET /conversations/{id}/messages</c>'s query: where to start (or go on), and the page size.</summary>
public sealed record MessageListQuery(
    [FromQuery(Name = "beforeSeq")] long? BeforeSeq,
    [FromQuery(Name = "afterSeq")] long? AfterSeq,
    [FromQuery(Name = "limit")] int? Limit,
    [FromQuery(Name = "cursor")] string? Cursor)
{
    public int PageSize() => Paging.PageSize(Limit);
}

public sealed class MessageListQueryValidator : AbstractValidator<MessageListQuery>
{
    public MessageListQueryValidator()
    {
        RuleFor(query => query.Limit).ValidPageSize();
        RuleFor(query => query.AfterSeq).Null().When(query => query.BeforeSeq is not null)
            .WithMessage("Give beforeSeq or afterSeq, not both.");
        RuleFor(query => query.BeforeSeq).Must(beforeSeq => beforeSeq is not < 1)
            .WithMessage("Seqs start at 1.");
        RuleFor(query => query.AfterSeq).Must(afterSeq => afterSeq is not < 0)
            .WithMessage("Seqs start at 1; afterSeq=0 reads from the beginning.");
        RuleFor(query => query.Cursor).Cascade(CascadeMode.Stop)
            .KnownCursor(cursor => MessageCursor.TryDecode(cursor, out _))
            .Must((query, cursor) => string.IsNullOrEmpty(cursor) || (query.BeforeSeq is null && query.AfterSeq is null))
            .WithMessage("A cursor already says where to go on; leave out beforeSeq and afterSeq.");
    }
}
