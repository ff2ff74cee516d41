using FluentValidation;
using Kinder.Api.Infrastructure;

namespace Kinder.Api.Moderation;

public sealed class ReportQueueQueryValidator : AbstractValidator<ReportQueueQuery>
{
    public ReportQueueQueryValidator()
    {
        RuleFor(query => query.Status).Must((query, _) => query.Listed() is not null).WithMessage("open or resolved.");
        RuleFor(query => query.Limit).ValidPageSize();
        RuleFor(query => query.Cursor).KnownCursor(cursor => ReportQueueCursor.TryDecode(cursor, out _));
    }
}
