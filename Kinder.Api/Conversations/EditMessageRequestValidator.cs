using FluentValidation;
using Kinder.Core.Chat;

namespace Kinder.Api.Conversations;

public sealed class EditMessageRequestValidator : AbstractValidator<EditMessageRequest>
{
    public EditMessageRequestValidator() =>
        RuleFor(request => request.Body).Custom((body, context) =>
        {
            if (string.IsNullOrWhiteSpace(body))
                context.AddFailure("The new text is required.");
            else if (body.Length > Message.MaxBodyLength)
                context.AddFailure($"At most {Message.MaxBodyLength} characters.");
        });
}
