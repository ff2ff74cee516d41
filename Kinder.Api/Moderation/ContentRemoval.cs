using Kinder.Api.Conversations;
using Kinder.Core.Events;
using Kinder.Core.Moderation;
using Kinder.Core.Outbox;
using Kinder.Core.Profiles;
using Kinder.Messaging;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Api.Moderation;

/// <summary>
/// <c>remove_content</c>: takes the reported thing out of every read path for everyone but moderators (who keep the
/// report's copy), inside the caller's transaction. A message is deleted the way its sender would delete it (gone
/// from history, the members' next sync and the hub); an event is cancelled (refunds, its attendees told: EventCancelled)
/// and marked removed (out of search, discovery and detail), with <see cref="EventRemovedIntegrationEvent"/> for the
/// notifications; a profile loses its text and avatar.
/// </summary>
public sealed class ContentRemoval(ConversationServices conversations, AuditTrail audit)
{
    public async Task RemoveAsync(Report report, Guid moderatorId, CancellationToken cancellationToken)
    {
        var db = conversations.Db;
        var now = conversations.Time.GetUtcNow();
        switch (report.TargetType)
        {
            case ReportTargetType.Message:
                var message = await db.Messages.AsNoTracking().FirstOrDefaultAsync(m => m.Id == report.TargetId, cancellationToken);
                if (message is not null)
                {
                    await conversations.DeleteMessageAsync(message, now, cancellationToken);
                }
                break;
            case ReportTargetType.Event:
                var @event = await db.LockEventAsync(report.TargetId, cancellationToken);
                if (@event is not null && @event.RemovedAt is null)
                {
                    var attendeeIds = await EventAttendanceRules.AffectedAttendeeIdsAsync(db, @event, cancellationToken);
                    await EventAttendanceRules.CancelAsync(db, @event, moderatorId, now, cancellationToken);
                    @event.RemovedAt = now;
                    @event.UpdatedAt = now;
                    db.AddIntegrationEvent(Topics.Moderation, @event.Id.ToString(),
                        new EventRemovedIntegrationEvent(@event.Id, @event.Title, now, attendeeIds));
                }
                break;
            default:
                var user = await db.LockActiveUserAsync(report.TargetId, cancellationToken);
                if (user is not null)
                {
                    // The stored image itself stays until the account is erased; no read path names its key any more.
                    user.Bio = null;
                    user.AvatarKey = null;
                    user.UpdatedAt = now;
                }
                break;
        }
        audit.Record(AuditActions.ContentRemoved, moderatorId, report.TargetType.ToString().ToLowerInvariant(),
            report.TargetId, new { reportId = report.Id });
        await db.SaveChangesAsync(cancellationToken);
    }
}
