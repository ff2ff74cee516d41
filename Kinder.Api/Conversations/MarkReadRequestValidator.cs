using FluentValidation;

namespace Kinder.Api.Conversations;

public sealed class MarkReadRequestValidator : AbstractValidator<MarkReadRequest>
{
    public MarkReadRequestValidator() =>
        RuleFor(request => request.Seq).Must(seq => seq is >= 0).WithMessage("The seq you have read up to (0 or more).");
}
