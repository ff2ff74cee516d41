using FluentValidation;
using Kinder.Core.Uploads;
using Microsoft.Extensions.Options;

namespace Kinder.Api.Uploads;

/// <summary>The type and size must be ones the purpose's configuration takes.</summary>
public sealed class SignUploadRequestValidator : AbstractValidator<SignUploadRequest>
{
    public SignUploadRequestValidator(IOptions<UploadOptions> options)
    {
        RuleFor(request => request.Purpose).NotNull();
        RuleFor(request => request.ContentType).Cascade(CascadeMode.Stop)
            .NotEmpty()
            .MaximumLength(Upload.MaxContentTypeLength)
            .Custom((contentType, context) =>
            {
                if (context.InstanceToValidate.Purpose is not { } purpose)
                {
                    return;
                }
                var allowed = options.Value.For(purpose).ContentTypes;
                if (!allowed.Contains(contentType!.Trim().ToLowerInvariant(), StringComparer.Ordinal))
                {
                    context.AddFailure($"A {UploadKeys.Segment(purpose)} must be one of {string.Join(", ", allowed)}.");
                }
            });
        RuleFor(request => request.SizeBytes).Cascade(CascadeMode.Stop)
            .NotNull()
            .GreaterThanOrEqualTo(1)
            .Custom((sizeBytes, context) =>
            {
                if (context.InstanceToValidate.Purpose is not { } purpose)
                {
                    return;
                }
                var maxBytes = options.Value.For(purpose).MaxBytes;
                if (sizeBytes > maxBytes)
                {
                    context.AddFailure($"A {UploadKeys.Segment(purpose)} may be at most {maxBytes} bytes.");
                }
            });
    }
}
