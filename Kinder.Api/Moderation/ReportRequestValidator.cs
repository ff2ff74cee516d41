using FluentValidation;
using Kinder.Core.Moderation;

namespace Kinder.Api.Moderation;

public sealed class ReportRequestValidator : AbstractValidator<ReportRequest>
{
    public ReportRequestValidator()
    {
        RuleFor(request => request.TargetType).IsInEnum();
        RuleFor(request => request.TargetId).NotEmpty();
        RuleFor(request => request.Reason).IsInEnum();
        RuleFor(request => request.Details).MaximumLength(Report.MaxDetailsLength);
    }
}
