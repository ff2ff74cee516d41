using FluentValidation;

namespace Kinder.Api.Uploads;

public sealed class CompleteUploadRequestValidator : AbstractValidator<CompleteUploadRequest>
{
    public CompleteUploadRequestValidator() => RuleFor(request => request.UploadId).NotNull();
}
