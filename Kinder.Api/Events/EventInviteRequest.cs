using FluentValidation;
using Kinder.Api.Friends;

namespace Kinder.Api.Events;

/// <summary><c>POST /events/{id}/invites</c>: whom to invite (friends, or people you share a conversation with).</summary>
public sealed record EventInviteRequest(IReadOnlyList<Guid>? UserIds)
{
    public const int MaxInvitees = 50;
}

public sealed class EventInviteRequestValidator : AbstractValidator<EventInviteRequest>
{
    public EventInviteRequestValidator()
    {
        RuleFor(request => request.UserIds).Cascade(CascadeMode.Stop).NotEmpty()
            .Must(ids => ids!.Count <= EventInviteRequest.MaxInvitees)
            .WithMessage($"1 to {EventInviteRequest.MaxInvitees} people.")
            .Must(ids => ids!.All(id => id != Guid.Empty)).WithMessage("Every id is a user id.");
    }
}

/// <summary>Who was invited now (people invited before are not invited, or told, twice).</summary>
public sealed record EventInviteResponse(IReadOnlyList<Guid> Invited);

/// <summary>The caller's invite to an event, on the event as they read it.</summary>
public sealed record MyInviteResponse(PersonResponse InvitedBy, DateTimeOffset InvitedAt);
