using System.Security.Claims;
using Kinder.Api.Infrastructure;
using Kinder.Api.Profiles;
using Kinder.Core;
using Kinder.Core.Data;
using Kinder.Core.Events;
using Kinder.Core.Identity;
using Kinder.Core.Moderation;
using Kinder.Core.Payments;
using Kinder.Core.Profiles;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kinder.Api.Events;

/// <summary>
/// Answers interested, going or not_going. Going on a full event joins the waitlist; a freed place promotes the first
/// in line. Going needs a verified email, and a priced event a ticket; leaving a paid event before the refund cut-off
/// refunds the ticket.
/// </summary>
public sealed class SetAttendance(KinderDbContext db, IOptions<PaymentsOptions> payments, AuditTrail audit,
    TimeProvider time)
{
    public async Task<Results<Ok<AttendanceResponse>, ValidationProblem, ProblemHttpResult>> HandleAsync(Guid id,
        AttendanceRequest request, ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        var requested = request.Status!.Value;
        if (requested == AttendanceStatus.Going && !principal.IsEmailVerified())
        {
            return Problems.Create(StatusCodes.Status403Forbidden, ErrorCodes.EmailNotVerified,
                "Verify your email address before going to events.");
        }
        var userId = principal.GetUserId();
        if (!await db.Users.AnyAsync(user => user.Id == userId && user.DeletedAt == null, cancellationToken))
        {
            return CurrentUser.Gone();
        }
        return await db.InTransactionAsync<Results<Ok<AttendanceResponse>, ValidationProblem, ProblemHttpResult>>(
            async token =>
            {
                var @event = await db.LockEventAsync(id, token);
                if (@event is null)
                {
                    return Problems.NotFound();
                }
                // Someone who answered before a block with the organizer may still say they are not going (nobody
                // stays stuck on an event they can no longer see); anything else is 404, as for an unknown event.
                if (!await db.CanSeeAsync(@event, userId, token)
                    && !(requested == AttendanceStatus.NotGoing && await db.EventAttendances.AnyAsync(
                        a => a.EventId == id && a.UserId == userId && a.Status != AttendanceStatus.NotGoing, token)))
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
                var now = time.GetUtcNow();
                if (requested == AttendanceStatus.Going && @event.PriceMinor > 0 && !await db.Tickets.AnyAsync(
                        t => t.EventId == id && t.UserId == userId && t.Status == TicketStatus.Confirmed, token))
                {
                    if (await TicketRules.HasFreePlaceAsync(db, @event, now, token))
                    {
                        return Problems.Create(StatusCodes.Status402PaymentRequired, ErrorCodes.PaymentRequired,
                            "This event has a price; going needs a ticket (POST /events/{id}/tickets).");
                    }
                    // Full: the paid waitlist; a freed place is offered for a claim window (PaidWaitlist).
                    var waiting = await EventAttendanceRules.ChangeAsync(db, @event, userId, AttendanceStatus.Waitlisted, now, token);
                    await db.SaveChangesAsync(token);
                    return TypedResults.Ok(new AttendanceResponse(waiting.Status,
                        await EventAttendanceRules.WaitlistPositionAsync(db, waiting, token)));
                }
                if (requested != AttendanceStatus.Going && @event.PriceMinor > 0)
                {
                    await TicketRules.RefundOnLeaveAsync(db, audit, payments.Value, @event, userId, now, token);
                }
                var attendance = await EventAttendanceRules.ChangeAsync(db, @event, userId, requested, now, token);
                await db.SaveChangesAsync(token);
                await PaidWaitlist.OfferAsync(db, @event, now, payments.Value.WaitlistClaimWindow, token);
                var position = await EventAttendanceRules.WaitlistPositionAsync(db, attendance, token);
                return TypedResults.Ok(new AttendanceResponse(attendance.Status, position));
            }, cancellationToken);
    }
}
