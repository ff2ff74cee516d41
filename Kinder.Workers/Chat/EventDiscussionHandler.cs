using Kinder.Core.Chat;
using Kinder.Core.Data;
using Kinder.Core.Events;
using Kinder.Messaging;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Workers.Chat;

/// <summary>
/// Keeps each event's discussion in step with the event (<c>events.attendance</c>, <c>events.changes</c>): going (or
/// promoted from the waitlist) joins, anything else leaves (interested and waitlisted people are not members), a
/// reschedule moves the read-only time to the new end, a cancellation makes it read-only now; each such change is
/// told in the discussion by a system message and to Realtime by <c>ConversationMembersChanged</c>.
/// </summary>
/// <remarks>
/// Idempotent: membership is set to what the attendance is when the record is handled (read from the database, not
/// taken from the record, so a late or reordered record cannot undo a newer change; a no-op the second time), and the
/// system message's client message id is derived from the record's envelope id, so the processor persists it once
/// however often it is sent. Both the message and <c>ConversationMembersChanged</c> are sent whenever the record is a
/// transition the attendance still shows, not only when this call changed the database, so a crash after the commit
/// and before the produce loses neither.
/// </remarks>
public sealed class EventDiscussionHandler(KinderDbContext db, ConversationAccess access, IKafkaProducer producer, TimeProvider time,
    ILogger<EventDiscussionHandler> logger) :
    IRecordHandler<AttendanceChangedIntegrationEvent>,
    IRecordHandler<WaitlistPromotedIntegrationEvent>,
    IRecordHandler<EventRescheduledIntegrationEvent>,
    IRecordHandler<EventRelocatedIntegrationEvent>,
    IRecordHandler<EventCancelledIntegrationEvent>
{
    public Task HandleAsync(AttendanceChangedIntegrationEvent changed, KafkaRecord source, CancellationToken cancellationToken) =>
        AttendanceChangedAsync(source.Envelope, changed, cancellationToken);

    // Its AttendanceChanged (waitlisted → going) comes with it and says "joined"; this one only makes sure.
    public async Task HandleAsync(WaitlistPromotedIntegrationEvent promoted, KafkaRecord source, CancellationToken cancellationToken) =>
        await SetMembershipAsync(source.Envelope, promoted.EventId, promoted.UserId,
            member: await IsGoingAsync(promoted.EventId, promoted.UserId, cancellationToken), announce: false, cancellationToken);

    public Task HandleAsync(EventRescheduledIntegrationEvent rescheduled, KafkaRecord source, CancellationToken cancellationToken) =>
        RescheduledAsync(source.Envelope, rescheduled, cancellationToken);

    public Task HandleAsync(EventRelocatedIntegrationEvent relocated, KafkaRecord source, CancellationToken cancellationToken) =>
        AnnounceAsync(source.Envelope, relocated.EventId, EventDiscussionTexts.Relocated(relocated.Address, relocated.City),
            readOnlyAfter: null, cancellationToken);

    public Task HandleAsync(EventCancelledIntegrationEvent cancelled, KafkaRecord source, CancellationToken cancellationToken) =>
        AnnounceAsync(source.Envelope, cancelled.EventId, EventDiscussionTexts.Cancelled, cancelled.CancelledAt, cancellationToken,
            lowerOnly: true);

    private async Task AttendanceChangedAsync(KafkaEnvelope envelope, AttendanceChangedIntegrationEvent changed,
        CancellationToken cancellationToken)
    {
        // A record can come late or out of order (a retried outbox row, a redelivery): membership follows the
        // attendance as it is now, and a record that no longer says what it is is not told in the discussion.
        var going = await IsGoingAsync(changed.EventId, changed.UserId, cancellationToken);
        var current = going == (changed.Status == AttendanceStatus.Going);
        var wasGoing = changed.PreviousStatus == AttendanceStatus.Going;
        // Only a real transition is told; interested ↔ waitlisted ↔ not going leaves the (non-)membership as it is.
        await SetMembershipAsync(envelope, changed.EventId, changed.UserId, going, announce: current && going != wasGoing,
            cancellationToken);
    }

    private Task<bool> IsGoingAsync(Guid eventId, Guid userId, CancellationToken cancellationToken) =>
        db.EventAttendances.AnyAsync(a => a.EventId == eventId && a.UserId == userId && a.Status == AttendanceStatus.Going,
            cancellationToken);

    private async Task SetMembershipAsync(KafkaEnvelope envelope, Guid eventId, Guid userId, bool member, bool announce,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var discussion = await EventDiscussion.EnsureAsync(db, eventId, now, cancellationToken);
        if (discussion is null)
        {
            logger.LogInformation("Event {EventId} is gone; no discussion to change", eventId);
            return;
        }

        var conversationId = discussion.ConversationId;
        var changed = await EventDiscussion.SetMemberAsync(db, conversationId, userId, member, now, cancellationToken);

        if (changed || announce || discussion.Created)
            await MembersChangedAsync(conversationId, discussion.Created ? null : userId, cancellationToken);

        var ownerId = await db.Conversations.Where(c => c.Id == conversationId).Select(c => c.OwnerId)
            .SingleAsync(cancellationToken);
        // The organizer's own "going" comes with the event they just made: nobody needs to read "Ana joined" there.
        if (!announce || userId == ownerId)
            return;
        var name = await db.Users.Where(u => u.Id == userId).Select(u => u.DisplayName).FirstOrDefaultAsync(cancellationToken)
            ?? "Someone";
        await SubmitAsync(envelope, conversationId, eventId,
            member ? EventDiscussionTexts.Joined(name) : EventDiscussionTexts.Left(name), now, cancellationToken);
    }

    private async Task RescheduledAsync(KafkaEnvelope envelope, EventRescheduledIntegrationEvent rescheduled,
        CancellationToken cancellationToken)
    {
        // A cancelled event stays read-only from its cancellation, whatever its times say.
        var cancelled = await db.Events.AnyAsync(e => e.Id == rescheduled.EventId && e.Status == EventStatus.Cancelled,
            cancellationToken);
        await AnnounceAsync(envelope, rescheduled.EventId, EventDiscussionTexts.Rescheduled(rescheduled.StartsAt),
            cancelled ? null : rescheduled.EndsAt, cancellationToken);
    }

    /// <summary>Sets the read-only time (if given), then says <paramref name="body"/> in the discussion.</summary>
    /// <param name="lowerOnly">Only ever bring the read-only time forward (a cancellation), never push it back.</param>
    private async Task AnnounceAsync(KafkaEnvelope envelope, Guid eventId, string body, DateTimeOffset? readOnlyAfter,
        CancellationToken cancellationToken, bool lowerOnly = false)
    {
        var now = time.GetUtcNow();
        var discussion = await EventDiscussion.EnsureAsync(db, eventId, now, cancellationToken);
        if (discussion is null)
        {
            logger.LogInformation("Event {EventId} is gone; no discussion to tell", eventId);
            return;
        }
        if (readOnlyAfter is { } after)
            await EventDiscussion.MoveReadOnlyAsync(db, discussion.ConversationId, after, lowerOnly, cancellationToken);
        if (discussion.Created)
            await MembersChangedAsync(discussion.ConversationId, null, cancellationToken);
        await SubmitAsync(envelope, discussion.ConversationId, eventId, body, now, cancellationToken);
    }

    private Task SubmitAsync(KafkaEnvelope envelope, Guid conversationId, Guid eventId, string body, DateTimeOffset now,
        CancellationToken cancellationToken) =>
        producer.SubmitAsync(SystemMessages.Create(conversationId,
            EventDiscussionTexts.ClientMessageIdFor(envelope.Type == AttendanceChangedIntegrationEvent.RecordType ? "attendance" : "event", envelope.Id),
            body, eventId, now), cancellationToken);

    /// <summary>Tells Realtime who is in the conversation now; <paramref name="affectedUserId"/> null: everyone.</summary>
    private async Task MembersChangedAsync(Guid conversationId, Guid? affectedUserId, CancellationToken cancellationToken)
    {
        var memberIds = await access.ActiveMemberIdsAsync(conversationId, cancellationToken);
        await producer.ProduceAsync(Topics.MessagesOutgoing, conversationId.ToString(),
            KafkaEnvelope.Create(new ConversationMembersChanged(
                conversationId, memberIds, affectedUserId is { } user ? [user] : memberIds)), cancellationToken);
    }
}
