using System.Security.Claims;
using FluentValidation;
using Kinder.Api.Infrastructure;
using Kinder.Core;
using Kinder.Core.Chat;
using Kinder.Core.Data;
using Kinder.Core.Events;
using Kinder.Core.Notifications;
using Kinder.Core.Identity;
using Kinder.Messaging;
using Kinder.Core.Outbox;
using Kinder.Core.Profiles;
using Kinder.Core.Storage;
using Kinder.Core.Validation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kinder.Api.Events;

/// <summary>
/// Replaces an event under its lock (organizer only, not once cancelled), validates the request against the event it
/// replaces, and tells the attendees of a new time or place through the outbox; the discussion follows.
/// </summary>
public sealed class UpdateEvent(KinderDbContext db, ObjectStorage storage, TimeProvider time,
    IValidator<EventRequest> validator)
{
    public async Task<Results<Ok<EventResponse>, ValidationProblem, ProblemHttpResult>> HandleAsync(Guid id,
        EventRequest request, ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        var userId = principal.GetUserId();
        var outcome = await db.InTransactionAsync<Results<Ok<EventResponse>, ValidationProblem, ProblemHttpResult>?>(
            async token =>
            {
                var @event = await db.LockEventAsync(id, token);
                var refusal = await EventOrganizer.RefuseUnlessOrganizerAsync(db, @event, userId, token);
                if (refusal is not null)
                {
                    return refusal;
                }
                if (@event!.Status == EventStatus.Cancelled)
                {
                    return Problems.Conflict(ErrorCodes.EventCancelled, "A cancelled event cannot be changed.");
                }
                var validation = new ValidationContext<EventRequest>(request);
                validation.RootContextData[EventRequestValidator.ReplacedEvent] = @event;
                var result = await validator.ValidateAsync(validation, token);
                if (!result.IsValid)
                {
                    return Problems.Validation(result.ToFieldErrors());
                }

                var now = time.GetUtcNow();
                var (startsAt, endsAt) = (@event.StartsAt, @event.EndsAt);
                var (location, address, city) = (@event.Location, @event.Address, @event.City);
                EventRules.Apply(request, @event, now);
                await EventAttendanceRules.PromoteAsync(db, @event, now, token);
                await EventDiscussion.FollowAsync(db, @event, now, token);

                var rescheduled = @event.StartsAt != startsAt || @event.EndsAt != endsAt;
                var relocated = !@event.Location.EqualsExact(location) || @event.Address != address || @event.City != city;
                if (rescheduled || relocated)
                {
                    var attendeeIds = await EventAttendanceRules.AffectedAttendeeIdsAsync(db, @event, token);
                    if (rescheduled)
                    {
                        await EventReminders.ReplanAsync(db, @event, now, token);
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
        var response = await db.ReadAsync(storage, id, userId, null, cancellationToken);
        return TypedResults.Ok(response!);
    }
}
