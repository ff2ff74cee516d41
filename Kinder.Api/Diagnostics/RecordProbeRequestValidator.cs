using FluentValidation;
using Kinder.Core.Diagnostics;

namespace Kinder.Api.Diagnostics;

public sealed class RecordProbeRequestValidator : AbstractValidator<RecordProbeRequest>
{
    public RecordProbeRequestValidator() =>
        RuleFor(request => request.Message).NotEmpty().MaximumLength(Probe.MaxMessageLength);
}
