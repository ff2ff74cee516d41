using FluentValidation;
using Kinder.Core.Moderation;

namespace Kinder.Api.Moderation;

public sealed class ResolveReportRequestValidator : AbstractValidator<ResolveReportRequest>
{
    public const int MaxSuspensionDays = 3650;

    public ResolveReportRequestValidator()
    {
        RuleFor(request => request.Action).IsInEnum();
        RuleFor(request => request.Note).MaximumLength(Report.MaxNoteLength);
        RuleFor(request => request.Days)
            .NotNull().InclusiveBetween(1, MaxSuspensionDays)
            .When(request => request.Action == ModerationAction.Suspend)
            .WithMessage($"A suspension needs days, from 1 to {MaxSuspensionDays}.");
        RuleFor(request => request.Days).Null().When(request => request.Action != ModerationAction.Suspend)
            .WithMessage("Only a suspension takes days.");
    }
}
