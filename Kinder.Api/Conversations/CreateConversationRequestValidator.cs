using FluentValidation;
using Kinder.Core.Validation;
using Kinder.Core.Chat;
using Kinder.Core.Data;
using Kinder.Core.Identity;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Api.Conversations;

public sealed class CreateConversationRequestValidator : AbstractValidator<CreateConversationRequest>
{
    public CreateConversationRequestValidator(IHttpContextAccessor http, KinderDbContext db)
    {
        Guid Caller() => http.HttpContext!.User.GetUserId();

        RuleFor(request => request.Type).Must(type => type is Direct or Group).WithMessage("Use direct or group.");
        RuleFor(request => request.MemberIds)
            .Must((request, ids) => IsOneOther(request, Caller()))
            .When(request => request.Type == Direct)
            .WithMessage("A direct conversation names exactly one other user.");
        When(request => request.Type == Group, () =>
        {
            RuleFor(request => request.Title).Custom((title, context) =>
            {
                if (string.IsNullOrEmpty(title?.Trim()))
                    context.AddFailure("A group needs a title.");
                else if (title.Trim().Length > Conversation.MaxTitleLength)
                    context.AddFailure($"At most {Conversation.MaxTitleLength} characters.");
                else if (!SafeText.HasNoBidiControls(title))
                    context.AddFailure(SafeText.BidiMessage);
            });
            RuleFor(request => request.MemberIds)
                .Must((request, _) => FitsAGroup(request, Caller()))
                .WithMessage($"A group has at most {Conversation.MaxGroupMembers} members, you included.");
        });
        // Only once the request makes sense: one lookup for every id named.
        RuleFor(request => request.MemberIds).CustomAsync(async (_, context, cancellationToken) =>
        {
            var unknown = await db.UnknownUsersAsync(Others(context.InstanceToValidate, Caller()), cancellationToken);
            if (unknown.Count > 0)
                context.AddFailure($"No such user: {string.Join(", ", unknown)}.");
        }).When(request => FieldsMakeSense(request, Caller()));
    }

    private const string Direct = "direct";
    private const string Group = "group";

    /// <summary>The members named besides the caller, each once.</summary>
    public static List<Guid> Others(CreateConversationRequest request, Guid callerId) =>
        (request.MemberIds ?? []).Distinct().Where(id => id != callerId).ToList();

    private static bool IsOneOther(CreateConversationRequest request, Guid callerId) =>
        request.MemberIds is { Count: 1 } && Others(request, callerId).Count == 1;

    private static bool FitsAGroup(CreateConversationRequest request, Guid callerId) =>
        Others(request, callerId).Count + 1 <= Conversation.MaxGroupMembers;

    private static bool FieldsMakeSense(CreateConversationRequest request, Guid callerId)
    {
        var title = request.Title?.Trim();
        return request.Type switch
        {
            Direct => IsOneOther(request, callerId),
            Group => !string.IsNullOrEmpty(title) && title.Length <= Conversation.MaxTitleLength && FitsAGroup(request, callerId),
            _ => false,
        };
    }
}

internal static class ConversationUsers
{
    /// <summary>The ids among <paramref name="ids"/> that name no (undeleted) user.</summary>
    public static async Task<List<Guid>> UnknownUsersAsync(this KinderDbContext db, IReadOnlyList<Guid> ids,
        CancellationToken cancellationToken)
    {
        var known = await db.Users.Where(u => ids.Contains(u.Id) && u.DeletedAt == null).Select(u => u.Id)
            .ToListAsync(cancellationToken);
        return ids.Except(known).ToList();
    }
}
