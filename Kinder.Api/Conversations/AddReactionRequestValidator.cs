using FluentValidation;

namespace Kinder.Api.Conversations;

public sealed class AddReactionRequestValidator : AbstractValidator<AddReactionRequest>
{
    public AddReactionRequestValidator() =>
        RuleFor(request => request.Emoji).Custom((emoji, context) =>
        {
            if (Emoji.Problem(emoji) is { } problem)
                context.AddFailure(problem);
        });
}
