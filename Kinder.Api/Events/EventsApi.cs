using System.Security.Claims;
using Kinder.Api.Infrastructure;
using Kinder.Api.Onboarding;
using Kinder.Core.Friends;
using Kinder.Core.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Api.Events;

/// <summary>Events: creating, reading, changing and cancelling events, attendance and the attendee lists.</summary>
public static class EventsApi
{
    public static IServiceCollection AddEvents(this IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services.AddScoped<EventServices>();
        services.AddScoped<CreateEvent>();
        services.AddScoped<UpdateEvent>();
        services.AddScoped<CancelEvent>();
        services.AddScoped<SetAttendance>();
        services.AddScoped<ListAttendees>();
        services.AddScoped<SearchEvents>();
        services.AddScoped<InviteToEvent>();
        return services.AddDiscovery();
    }

    public static IEndpointRouteBuilder MapEventsApi(this IEndpointRouteBuilder app)
    {
        var events = app.MapGroup("/events").WithTags("Events");
        events.MapGet("/categories", GetCategories)
            .WithName("GetEventCategories")
            .WithSummary("The event categories: the interest catalog (categoryId is an interest id); needs no sign-in.");

        var group = events.MapGroup("").RequireAuthorization().ProducesProblem(StatusCodes.Status401Unauthorized);
        group.MapPost("", CreateEvent)
            .RequireAuthorization(KinderPolicies.VerifiedUser)
            .WithName("CreateEvent")
            .WithSummary("Create an event; the organizer is its first attendee, going. Verified users only; beyond the 30-day allowance 403 EVENT_LIMIT_REACHED (premium raises it).")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden);
        group.MapGet("/{id:guid}", GetEvent)
            .WithName("GetEvent")
            .WithSummary("One event; with latitude and longitude, distanceKm from that point. Private events are 404 to outsiders.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPut("/{id:guid}", UpdateEvent)
            .WithName("UpdateEvent")
            .WithSummary("Replace an event (organizer only); a new time or place is told to its attendees.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapDelete("/{id:guid}", CancelEvent)
            .WithName("CancelEvent")
            .WithSummary("Cancel an event (organizer only); its attendees are told. Cancelling twice is harmless.")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id:guid}/attendance", SetAttendance)
            .WithName("SetAttendance")
            .WithSummary("Answer interested, going or not_going. Going on a full event joins the waitlist; a freed place promotes the first in line.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status402PaymentRequired)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/{id:guid}/invites", InviteToEvent)
            .WithName("InviteToEvent")
            .WithSummary("Invite friends or people you share a conversation with (202); a private event becomes visible "
                + "to them. Each new invitee gets an event_invite notification.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .RequireUserRateLimit<FriendOptions>("event-invites", friends => friends.InviteRateLimit);
        group.MapGet("/{id:guid}/attendees", GetAttendees)
            .WithName("GetAttendees")
            .WithSummary("The people going (or status=interested|waitlisted), oldest answer first, cursor-paged; friends=true: "
                + "only your friends (to show them first).")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static async Task<Ok<List<InterestResponse>>> GetCategories(EventServices services,
        CancellationToken cancellationToken)
    {
        var interests = await services.Db.Interests.AsNoTracking().OrderBy(interest => interest.Id)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(interests.Select(InterestResponse.From).ToList());
    }

    public static Task<Results<Created<EventResponse>, ValidationProblem, ProblemHttpResult>> CreateEvent(
        EventRequest request, ClaimsPrincipal principal, CreateEvent useCase, CancellationToken cancellationToken) =>
        useCase.HandleAsync(request, principal, cancellationToken);

    public static async Task<Results<Ok<EventResponse>, ValidationProblem, ProblemHttpResult>> GetEvent(Guid id,
        [AsParameters] EventPointQuery point, ClaimsPrincipal principal, EventServices services,
        CancellationToken cancellationToken)
    {
        var response = await services.Db.ReadAsync(services.Storage, id, principal.GetUserId(), point.ToPoint(),
            cancellationToken);
        return response is null ? Problems.NotFound() : TypedResults.Ok(response);
    }

    /// <summary>
    /// The body is not a filter-validated argument here: <see cref="Events.UpdateEvent"/> validates it under the
    /// event's lock, against the event it replaces.
    /// </summary>
    public static Task<Results<Ok<EventResponse>, ValidationProblem, ProblemHttpResult>> UpdateEvent(
        [AsParameters] EventReplacement replacement, ClaimsPrincipal principal, UpdateEvent useCase,
        CancellationToken cancellationToken) =>
        useCase.HandleAsync(replacement.Id, replacement.Request, principal, cancellationToken);

    public static Task<Results<NoContent, ProblemHttpResult>> CancelEvent(Guid id, ClaimsPrincipal principal,
        CancelEvent useCase, CancellationToken cancellationToken) =>
        useCase.HandleAsync(id, principal, cancellationToken);

    public static Task<Results<Ok<AttendanceResponse>, ValidationProblem, ProblemHttpResult>> SetAttendance(
        Guid id, AttendanceRequest request, ClaimsPrincipal principal, SetAttendance useCase,
        CancellationToken cancellationToken) =>
        useCase.HandleAsync(id, request, principal, cancellationToken);

    public static Task<Results<Accepted<EventInviteResponse>, ValidationProblem, ProblemHttpResult>> InviteToEvent(
        Guid id, EventInviteRequest request, ClaimsPrincipal principal, InviteToEvent useCase,
        CancellationToken cancellationToken) =>
        useCase.HandleAsync(id, request, principal, cancellationToken);

    public static Task<Results<Ok<AttendeePage>, ValidationProblem, ProblemHttpResult>> GetAttendees(Guid id,
        [AsParameters] AttendeeQuery query, ClaimsPrincipal principal, ListAttendees useCase,
        CancellationToken cancellationToken) =>
        useCase.HandleAsync(id, query, principal, cancellationToken);
}

/// <summary><c>PUT /events/{id}</c>'s arguments: which event, and the request that replaces it.</summary>
public sealed record EventReplacement([FromRoute(Name = "id")] Guid Id, [FromBody] EventRequest Request);
