using System.Security.Claims;
using Kinder.Api.Infrastructure;
using Kinder.Api.Onboarding;
using Kinder.Api.Profiles;
using Kinder.Core;
using Kinder.Core.Chat;
using Kinder.Core.Events;
using Kinder.Core.Identity;
using Kinder.Messaging;
using Kinder.Core.Outbox;
using Kinder.Core.Profiles;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;

namespace Kinder.Api.Events;

/// <summary>API.md, Events: creating, reading, changing and cancelling events, attendance and the attendee lists.</summary>
public static class EventsApi
{
    public const int DefaultPageSize = Paging.DefaultLimit;
    public const int MaxPageSize = Paging.MaxLimit;

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
            .WithSummary("Create an event; the organizer is its first attendee, going. Verified users only.")
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
        group.MapGet("/{id:guid}/attendees", GetAttendees)
            .WithName("GetAttendees")
            .WithSummary("The people going (or status=interested|waitlisted), oldest answer first, cursor-paged.")
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

    public static async Task<Results<Created<EventResponse>, ValidationProblem, ProblemHttpResult>> CreateEvent(
        EventRequest request, ClaimsPrincipal principal, EventServices services, CancellationToken cancellationToken)
    {
        var db = services.Db;
        var now = services.Time.GetUtcNow();
        var categoryExists = await db.Interests.AnyAsync(i => i.Id == request.CategoryId, cancellationToken);
        var imageKeys = await db.UsableImageKeysAsync(principal.GetUserId(), request.ImageKeys, cancellationToken);
        var errors = EventRules.Validate(request, now, categoryExists, imageKeys, existing: null);
        if (!errors.IsEmpty)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        var organizer = await db.FindCurrentUserAsync(principal, cancellationToken);
        if (organizer is null)
        {
            return CurrentUser.Gone();
        }

        var @event = new Event
        {
            OrganizerId = organizer.Id,
            Title = "",
            Location = Point.Empty,
            CreatedAt = now,
            GoingCount = 1,
            AttendanceSequence = 1,
        };
        EventRules.Apply(request, @event, now);
        db.Events.Add(@event);
        db.EventAttendances.Add(new EventAttendance
        {
            EventId = @event.Id,
            UserId = organizer.Id,
            Status = AttendanceStatus.Going,
            Sequence = 1,
            CreatedAt = now,
            UpdatedAt = now,
        });
        db.AddIntegrationEvent(Topics.Attendance, @event.Id.ToString(),
            new AttendanceChangedIntegrationEvent(@event.Id, organizer.Id, AttendanceStatus.Going, null, now));
        // The event's discussion comes with it, in the same transaction (the organizer owns it).
        var (discussion, owner) = EventDiscussions.NewFor(@event, now);
        db.Conversations.Add(discussion);
        db.ConversationMembers.Add(owner);
        await db.SaveChangesAsync(cancellationToken);

        var response = await db.ReadAsync(services.Storage, @event.Id, organizer.Id, null, cancellationToken);
        return TypedResults.Created($"/api/v1/events/{@event.Id}", response);
    }

    public static async Task<Results<Ok<EventResponse>, ValidationProblem, ProblemHttpResult>> GetEvent(Guid id,
        double? latitude, double? longitude, ClaimsPrincipal principal, EventServices services,
        CancellationToken cancellationToken)
    {
        var from = ParsePoint(latitude, longitude, out var errors);
        if (!errors.IsEmpty)
        {
            return Problems.Validation(errors.ToDictionary());
        }
        var response = await services.Db.ReadAsync(services.Storage, id, principal.GetUserId(), from, cancellationToken);
        return response is null ? Problems.NotFound() : TypedResults.Ok(response);
    }

    public static async Task<Results<Ok<EventResponse>, ValidationProblem, ProblemHttpResult>> UpdateEvent(Guid id,
        EventRequest request, ClaimsPrincipal principal, EventServices services, CancellationToken cancellationToken)
    {
        var db = services.Db;
        var userId = principal.GetUserId();
        var categoryExists = await db.Interests.AnyAsync(i => i.Id == request.CategoryId, cancellationToken);
        var imageKeys = await db.UsableImageKeysAsync(userId, request.ImageKeys, cancellationToken);
        var outcome = await db.InTransactionAsync<Results<Ok<EventResponse>, ValidationProblem, ProblemHttpResult>?>(
            async token =>
            {
                var @event = await db.LockEventAsync(id, token);
                var refusal = await RefuseUnlessOrganizerAsync(db, @event, userId, token);
                if (refusal is not null)
                {
                    return refusal;
                }
                if (@event!.Status == EventStatus.Cancelled)
                {
                    return Problems.Conflict(ErrorCodes.EventCancelled, "A cancelled event cannot be changed.");
                }
                var now = services.Time.GetUtcNow();
                var errors = EventRules.Validate(request, now, categoryExists, imageKeys, @event);
                if (!errors.IsEmpty)
                {
                    return Problems.Validation(errors.ToDictionary());
                }

                var (startsAt, endsAt) = (@event.StartsAt, @event.EndsAt);
                var (location, address, city) = (@event.Location, @event.Address, @event.City);
                EventRules.Apply(request, @event, now);
                await EventAttendanceRules.PromoteAsync(db, @event, now, token);
                await FollowInDiscussionAsync(db, @event, now, token);

                var rescheduled = @event.StartsAt != startsAt || @event.EndsAt != endsAt;
                var relocated = !@event.Location.EqualsExact(location) || @event.Address != address || @event.City != city;
                if (rescheduled || relocated)
                {
                    var attendeeIds = await EventAttendanceRules.AffectedAttendeeIdsAsync(db, @event, token);
                    if (rescheduled)
                    {
                        db.AddIntegrationEvent(Topics.EventChanges, @event.Id.ToString(), new EventRescheduledIntegrationEvent(
                            @event.Id, @event.StartsAt, @event.EndsAt, startsAt, endsAt, attendeeIds));
                    }
                    if (relocated)
                    {
                        db.AddIntegrationEvent(Topics.EventChanges, @event.Id.ToString(), new EventRelocatedIntegrationEvent(
                            @event.Id, @event.Location.Y, @event.Location.X, @event.Address, @event.City, attendeeIds));
                    }
                }
                await db.SaveChangesAsync(token);
                return null;
            }, cancellationToken);
        if (outcome is not null)
        {
            return outcome;
        }
        var response = await db.ReadAsync(services.Storage, id, userId, null, cancellationToken);
        return TypedResults.Ok(response!);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> CancelEvent(Guid id, ClaimsPrincipal principal,
        EventServices services, CancellationToken cancellationToken)
    {
        var db = services.Db;
        var userId = principal.GetUserId();
        var refusal = await db.InTransactionAsync(async token =>
        {
            var @event = await db.LockEventAsync(id, token);
            var refused = await RefuseUnlessOrganizerAsync(db, @event, userId, token);
            if (refused is not null || @event!.Status == EventStatus.Cancelled)
            {
                return refused;
            }
            await EventAttendanceRules.CancelAsync(db, @event, services.Time.GetUtcNow(), token);
            await db.SaveChangesAsync(token);
            return null;
        }, cancellationToken);
        return refusal is null ? TypedResults.NoContent() : refusal;
    }

    public static async Task<Results<Ok<AttendanceResponse>, ValidationProblem, ProblemHttpResult>> SetAttendance(
        Guid id, AttendanceRequest request, ClaimsPrincipal principal, EventServices services,
        CancellationToken cancellationToken)
    {
        var requested = request.Status!.Value;
        if (requested == AttendanceStatus.Waitlisted)
        {
            return Problems.Validation(new Dictionary<string, string[]>
            {
                ["status"] = ["Answer interested, going or not_going; a full event waitlists going by itself."],
            });
        }
        if (requested == AttendanceStatus.Going && !principal.IsEmailVerified())
        {
            return Problems.Create(StatusCodes.Status403Forbidden, ErrorCodes.EmailNotVerified,
                "Verify your email address before going to events.");
        }
        var db = services.Db;
        var userId = principal.GetUserId();
        if (!await db.Users.AnyAsync(user => user.Id == userId && user.DeletedAt == null, cancellationToken))
        {
            return CurrentUser.Gone();
        }
        return await db.InTransactionAsync<Results<Ok<AttendanceResponse>, ValidationProblem, ProblemHttpResult>>(
            async token =>
            {
                var @event = await db.LockEventAsync(id, token);
                if (@event is null || !await db.CanSeeAsync(@event, userId, token))
                {
                    return Problems.NotFound();
                }
                if (@event.Status == EventStatus.Cancelled)
                {
                    return Problems.Conflict(ErrorCodes.EventCancelled, "The event was cancelled.");
                }
                if (@event.OrganizerId == userId)
                {
                    return requested == AttendanceStatus.Going
                        ? TypedResults.Ok(new AttendanceResponse(AttendanceStatus.Going, null))
                        : Problems.Conflict(ErrorCodes.Conflict, "The organizer always goes; cancel the event instead.");
                }
                if (requested == AttendanceStatus.Going && @event.PriceMinor > 0)
                {
                    return Problems.Create(StatusCodes.Status402PaymentRequired, ErrorCodes.PaymentRequired,
                        "This event has a price; going needs a payment.");
                }
                var now = services.Time.GetUtcNow();
                var attendance = await EventAttendanceRules.ChangeAsync(db, @event, userId, requested, now, token);
                await db.SaveChangesAsync(token);
                var position = await EventAttendanceRules.WaitlistPositionAsync(db, attendance, token);
                return TypedResults.Ok(new AttendanceResponse(attendance.Status, position));
            }, cancellationToken);
    }

    public static async Task<Results<Ok<AttendeePage>, ValidationProblem, ProblemHttpResult>> GetAttendees(Guid id,
        string? status, int? limit, string? cursor, ClaimsPrincipal principal, EventServices services,
        CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        AttendanceStatus? listed = (status ?? "going") switch
        {
            "going" => AttendanceStatus.Going,
            "interested" => AttendanceStatus.Interested,
            "waitlisted" => AttendanceStatus.Waitlisted,
            _ => null,
        };
        if (listed is null)
        {
            errors.Add("status", "Use going, interested or waitlisted.");
        }
        var pageSize = errors.PageSize(limit);
        if (!AttendeeCursor.TryDecode(cursor, out var after))
        {
            errors.UnknownCursor();
        }
        if (!errors.IsEmpty)
        {
            return Problems.Validation(errors.ToDictionary());
        }

        var db = services.Db;
        var @event = await db.Events.AsNoTracking().FirstOrDefaultAsync(e => e.Id == id, cancellationToken);
        if (@event is null || !await db.CanSeeAsync(@event, principal.GetUserId(), cancellationToken))
        {
            return Problems.NotFound();
        }
        var rows = await db.EventAttendances.AsNoTracking()
            .Where(a => a.EventId == id && a.Status == listed && a.Sequence > after)
            .Join(db.Users.Where(user => user.DeletedAt == null), a => a.UserId, user => user.Id,
                (a, user) => new { user.Id, user.DisplayName, user.AvatarKey, a.Status, a.Sequence, a.UpdatedAt })
            .OrderBy(row => row.Sequence)
            .Take(pageSize + 1)
            .ToListAsync(cancellationToken);
        var page = rows.Take(pageSize).ToList();

        // Waitlist places count everyone in line (also accounts being deleted), as the attendance answer does.
        var positions = new Dictionary<long, int>();
        if (listed == AttendanceStatus.Waitlisted && page.Count > 0)
        {
            var first = page[0].Sequence;
            var last = page[^1].Sequence;
            var before = await db.EventAttendances.CountAsync(a => a.EventId == id
                && a.Status == AttendanceStatus.Waitlisted && a.Sequence < first, cancellationToken);
            var inRange = await db.EventAttendances
                .Where(a => a.EventId == id && a.Status == AttendanceStatus.Waitlisted && a.Sequence >= first
                    && a.Sequence <= last)
                .OrderBy(a => a.Sequence).Select(a => a.Sequence).ToListAsync(cancellationToken);
            for (var index = 0; index < inRange.Count; index++)
            {
                positions[inRange[index]] = before + index + 1;
            }
        }
        var items = page.Select(row => new AttendeeResponse(row.Id, row.DisplayName, services.Storage.UrlFor(row.AvatarKey),
            row.Status, positions.TryGetValue(row.Sequence, out var position) ? position : null, row.UpdatedAt)).ToList();
        var nextCursor = rows.Count > pageSize ? AttendeeCursor.Encode(page[^1].Sequence) : null;
        return TypedResults.Ok(new AttendeePage(items, nextCursor));
    }

    /// <summary>404 when the event is missing or hidden from the caller, 403 when they see it but do not organize it.</summary>
    private static async Task<ProblemHttpResult?> RefuseUnlessOrganizerAsync(Core.Data.KinderDbContext db, Event? @event,
        Guid userId, CancellationToken cancellationToken)
    {
        if (@event is null || !await db.CanSeeAsync(@event, userId, cancellationToken))
        {
            return Problems.NotFound();
        }
        return @event.OrganizerId == userId
            ? null
            : Problems.Create(StatusCodes.Status403Forbidden, ErrorCodes.Forbidden, "Only the organizer can change the event.");
    }

    /// <summary>The discussion's title and read-only time follow the event (title, end, cancellation).</summary>
    private static async Task FollowInDiscussionAsync(Core.Data.KinderDbContext db, Event @event, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var discussion = await db.Conversations.FirstOrDefaultAsync(c => c.EventId == @event.Id, cancellationToken);
        if (discussion is not null)
        {
            EventDiscussions.Follow(discussion, @event, now);
        }
    }

    private static Point? ParsePoint(double? latitude, double? longitude, out FieldErrors errors)
    {
        errors = new FieldErrors();
        if (latitude is null && longitude is null)
        {
            return null;
        }
        if (latitude is not (>= -90 and <= 90))
        {
            errors.Add("latitude", "Give a latitude between -90 and 90 together with the longitude.");
        }
        if (longitude is not (>= -180 and <= 180))
        {
            errors.Add("longitude", "Give a longitude between -180 and 180 together with the latitude.");
        }
        return errors.IsEmpty ? new Point(longitude!.Value, latitude!.Value) { SRID = 4326 } : null;
    }
}
