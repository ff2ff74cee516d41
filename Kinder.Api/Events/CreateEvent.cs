using System.Security.Claims;
using Kinder.Api.Infrastructure;
using Kinder.Api.Profiles;
using Kinder.Core;
using Kinder.Core.Chat;
using Kinder.Core.Data;
using Kinder.Core.Events;
using Kinder.Core.Notifications;
using Kinder.Messaging;
using Kinder.Core.Outbox;
using Kinder.Core.Payments;
using Kinder.Core.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using NetTopologySuite.Geometries;

namespace Kinder.Api.Events;

/// <summary>
/// Creates a validated event: the organizer goes, and the event's discussion and reminders come with it. How many events one may
/// create in 30 days is premium's to say (<see cref="PremiumPolicy"/>).
/// </summary>
public sealed class CreateEvent(KinderDbContext db, ObjectStorage storage, PremiumPolicy premium, TimeProvider time)
{
    public async Task<Results<Created<EventResponse>, ValidationProblem, ProblemHttpResult>> HandleAsync(
        EventRequest request, ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        var organizer = await db.FindCurrentUserAsync(principal, cancellationToken);
        if (organizer is null)
        {
            return CurrentUser.Gone();
        }

        var now = time.GetUtcNow();
        var quota = await premium.MayCreateEventAsync(organizer.Id, now, cancellationToken);
        if (!quota.Allowed)
        {
            return Problems.Create(StatusCodes.Status403Forbidden, ErrorCodes.EventLimitReached, quota.Premium
                ? $"You created {quota.Limit} events in the last 30 days, premium's limit."
                : $"You created {quota.Limit} events in the last 30 days, the free limit; premium raises it (GET /payments/products).");
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
        EventDiscussion.Start(db, @event, now);
        EventReminders.Plan(db, @event, now);
        await db.SaveChangesAsync(cancellationToken);

        var response = await db.ReadAsync(storage, @event.Id, organizer.Id, null, cancellationToken);
        return TypedResults.Created($"/api/v1/events/{@event.Id}", response);
    }
}
