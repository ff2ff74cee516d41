using FluentValidation;
using Kinder.Core.Identity;

namespace Kinder.Api.Conversations;

/// <summary>Whether the people exist is checked after the access check, by the use case.</summary>
public sealed class AddMembersRequestValidator : AbstractValidator<AddMembersRequest>
{
    public AddMembersRequestValidator(IHttpContextAccessor http) =>
        RuleFor(request => request.UserIds)
            .Must(ids => Others(ids, http.HttpContext!.User.GetUserId()).Count > 0)
            .WithMessage("Name at least one other user.");

    /// <summary>The people named besides the caller, each once.</summary>
    public static List<Guid> Others(IReadOnlyList<Guid>? ids, Guid callerId) =>
        (ids ?? []).Distinct().Where(id => id != callerId).ToList();
}
