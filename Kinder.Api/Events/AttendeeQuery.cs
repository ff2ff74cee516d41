using FluentValidation;
using Kinder.Api.Infrastructure;
using Kinder.Core.Events;
using Microsoft.AspNetCore.Mvc;

namespace Kinder.Api.Events;

/// <summary>
/// <c>GET /events/{id}/attendees</c>'s query: which list, and the page. <c>friends=true</c> lists only the caller's
/// friends (a client shows that list first, then the whole one).
/// </summary>
public sealed record AttendeeQuery(
    [FromQuery(Name = "status")] string? Status,
    [FromQuery(Name = "limit")] int? Limit,
    [FromQuery(Name = "cursor")] string? Cursor,
    [FromQuery(Name = "friends")] bool? Friends = null)
{
    /// <summary>The list asked for (going by default); null when it is not one.</summary>
    public AttendanceStatus? ListedStatus() => (Status ?? "going") switch
    {
        "going" => AttendanceStatus.Going,
        "interested" => AttendanceStatus.Interested,
        "waitlisted" => AttendanceStatus.Waitlisted,
        _ => null,
    };

    public int PageSize() => Paging.PageSize(Limit);
}

public sealed class AttendeeQueryValidator : AbstractValidator<AttendeeQuery>
{
    public AttendeeQueryValidator()
    {
        RuleFor(query => query.Status).Must((query, _) => query.ListedStatus() is not null)
            .WithMessage("Use going, interested or waitlisted.");
        RuleFor(query => query.Limit).ValidPageSize();
        RuleFor(query => query.Cursor).KnownCursor(cursor => AttendeeCursor.TryDecode(cursor, out _));
    }
}
