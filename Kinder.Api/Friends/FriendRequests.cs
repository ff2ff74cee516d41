using FluentValidation;
using Kinder.Api.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Kinder.Api.Friends;

/// <summary><c>POST /friends/requests</c>: whom to ask.</summary>
public sealed record SendFriendRequestBody(Guid UserId);

public sealed class SendFriendRequestBodyValidator : AbstractValidator<SendFriendRequestBody>
{
    public SendFriendRequestBodyValidator()
    {
        RuleFor(body => body.UserId).NotEmpty();
    }
}

/// <summary><c>GET /friends/requests</c>: the caller's pending requests, received (default) or sent.</summary>
public sealed record FriendRequestListQuery(
    [FromQuery(Name = "direction")] string? Direction,
    [FromQuery(Name = "limit")] int? Limit,
    [FromQuery(Name = "cursor")] string? Cursor)
{
    public const string Incoming = "incoming";
    public const string Outgoing = "outgoing";

    public bool IsOutgoing() => string.Equals(Direction, Outgoing, StringComparison.OrdinalIgnoreCase);
}

public sealed class FriendRequestListQueryValidator : AbstractValidator<FriendRequestListQuery>
{
    public FriendRequestListQueryValidator()
    {
        RuleFor(query => query.Direction)
            .Must(direction => direction is null
                || string.Equals(direction, FriendRequestListQuery.Incoming, StringComparison.OrdinalIgnoreCase)
                || string.Equals(direction, FriendRequestListQuery.Outgoing, StringComparison.OrdinalIgnoreCase))
            .WithMessage("incoming | outgoing");
        RuleFor(query => query.Limit).ValidPageSize();
        RuleFor(query => query.Cursor).KnownCursor(cursor => FriendCursors.TryDecode(cursor, out _));
    }
}

/// <summary><c>GET /friends</c>: the page.</summary>
public sealed record FriendListQuery(
    [FromQuery(Name = "limit")] int? Limit,
    [FromQuery(Name = "cursor")] string? Cursor);

public sealed class FriendListQueryValidator : AbstractValidator<FriendListQuery>
{
    public FriendListQueryValidator()
    {
        RuleFor(query => query.Limit).ValidPageSize();
        RuleFor(query => query.Cursor).KnownCursor(cursor => FriendCursors.TryDecode(cursor, out _));
    }
}

/// <summary><c>GET /users/search</c>: a name (or its start, or a misspelling of it) and the page.</summary>
public sealed record UserSearchQuery(
    [FromQuery(Name = "q")] string? Q,
    [FromQuery(Name = "limit")] int? Limit,
    [FromQuery(Name = "cursor")] string? Cursor)
{
    public const int MaxLength = 80;

    public string Text() => (Q ?? "").Trim();
}

public sealed class UserSearchQueryValidator : AbstractValidator<UserSearchQuery>
{
    public UserSearchQueryValidator()
    {
        RuleFor(query => query.Text()).NotEmpty().MaximumLength(UserSearchQuery.MaxLength).OverridePropertyName("q")
            .WithMessage($"A name of 1 to {UserSearchQuery.MaxLength} characters.");
        RuleFor(query => query.Limit).ValidPageSize();
        RuleFor(query => query.Cursor).KnownCursor(cursor => UserSearchCursor.TryDecode(cursor, out _));
    }
}
