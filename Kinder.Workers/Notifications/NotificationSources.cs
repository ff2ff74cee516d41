using System.Globalization;
using Kinder.Core.Data;
using Kinder.Core.Events;
using Kinder.Core.Friends;
using Kinder.Core.Moderation;
using Kinder.Core.Notifications;
using Kinder.Core.Payments;
using Kinder.Messaging;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Workers.Notifications;

/// <summary>
/// Turns domain records into notifications (<see cref="NotificationWriter"/>): RSVPs to the organizer, event changes
/// and cancellations to the attendees, waitlist promotions, friend requests and accepts, event invites, payments. A record's
/// cause is its envelope id, the same on every delivery, so redelivery notifies nobody twice.
/// </summary>
public sealed class NotificationSources(KinderDbContext db, NotificationWriter writer) :
    IRecordHandler<AttendanceChangedIntegrationEvent>,
    IRecordHandler<WaitlistPromotedIntegrationEvent>,
    IRecordHandler<EventRescheduledIntegrationEvent>,
    IRecordHandler<EventRelocatedIntegrationEvent>,
    IRecordHandler<EventCancelledIntegrationEvent>,
    IRecordHandler<FriendRequestedIntegrationEvent>,
    IRecordHandler<FriendRequestAcceptedIntegrationEvent>,
    IRecordHandler<EventInvitedIntegrationEvent>,
    IRecordHandler<PaymentChangedIntegrationEvent>
{
    public async Task HandleAsync(AttendanceChangedIntegrationEvent changed, KafkaRecord source, CancellationToken cancellationToken)
    {
        if (changed.Status != AttendanceStatus.Going || changed.PreviousStatus == AttendanceStatus.Going)
            return;
        var meetup = await EventAsync(changed.EventId, cancellationToken);
        if (meetup is null || meetup.OrganizerId == changed.UserId)
            return;
        var name = await NameAsync(changed.UserId, cancellationToken);
        await Notify(source, NotificationTypes.Rsvp, meetup.Title, $"{name} is going.",
            new NotificationData(EventId: changed.EventId, UserId: changed.UserId), [meetup.OrganizerId], cancellationToken);
    }

    public async Task HandleAsync(WaitlistPromotedIntegrationEvent promoted, KafkaRecord source, CancellationToken cancellationToken)
    {
        var meetup = await EventAsync(promoted.EventId, cancellationToken);
        if (meetup is not null)
            await Notify(source, NotificationTypes.WaitlistPromoted, meetup.Title, "A place freed up: you're going.",
                new NotificationData(EventId: promoted.EventId), [promoted.UserId], cancellationToken);
    }

    public async Task HandleAsync(EventRescheduledIntegrationEvent rescheduled, KafkaRecord source, CancellationToken cancellationToken)
    {
        var meetup = await EventAsync(rescheduled.EventId, cancellationToken);
        if (meetup is not null)
            await Notify(source, NotificationTypes.EventUpdated, meetup.Title,
                $"New time: {rescheduled.StartsAt.UtcDateTime:ddd d MMM, HH:mm} UTC.",
                new NotificationData(EventId: rescheduled.EventId), rescheduled.AttendeeIds, cancellationToken);
    }

    public async Task HandleAsync(EventRelocatedIntegrationEvent relocated, KafkaRecord source, CancellationToken cancellationToken)
    {
        var meetup = await EventAsync(relocated.EventId, cancellationToken);
        var place = relocated.Address ?? relocated.City;
        if (meetup is not null)
            await Notify(source, NotificationTypes.EventUpdated, meetup.Title,
                place is null ? "The place changed." : $"New place: {place}.",
                new NotificationData(EventId: relocated.EventId), relocated.AttendeeIds, cancellationToken);
    }

    public Task HandleAsync(EventCancelledIntegrationEvent cancelled, KafkaRecord source, CancellationToken cancellationToken) =>
        Notify(source, NotificationTypes.EventCancelled, cancelled.Title, "This event was cancelled.",
            new NotificationData(EventId: cancelled.EventId), cancelled.AttendeeIds, cancellationToken);

    public async Task HandleAsync(FriendRequestedIntegrationEvent requested, KafkaRecord source, CancellationToken cancellationToken)
    {
        var name = await NameAsync(requested.RequesterId, cancellationToken);
        await Notify(source, NotificationTypes.FriendRequest, "Friend request", $"{name} wants to be friends.",
            new NotificationData(UserId: requested.RequesterId), [requested.AddresseeId], cancellationToken);
    }

    public async Task HandleAsync(FriendRequestAcceptedIntegrationEvent accepted, KafkaRecord source, CancellationToken cancellationToken)
    {
        var name = await NameAsync(accepted.AddresseeId, cancellationToken);
        await Notify(source, NotificationTypes.FriendAccepted, "New friend", $"{name} accepted your friend request.",
            new NotificationData(UserId: accepted.AddresseeId), [accepted.RequesterId], cancellationToken);
    }

    public async Task HandleAsync(EventInvitedIntegrationEvent invited, KafkaRecord source, CancellationToken cancellationToken)
    {
        var meetup = await EventAsync(invited.EventId, cancellationToken);
        var name = await NameAsync(invited.InviterId, cancellationToken);
        if (meetup is not null)
            await Notify(source, NotificationTypes.EventInvite, meetup.Title, $"{name} invited you.",
                new NotificationData(EventId: invited.EventId, UserId: invited.InviterId), invited.InviteeIds, cancellationToken);
    }

    /// <summary>The payer's <c>payment</c> notification; the cause is (payment, status), reached once per payment.</summary>
    public async Task HandleAsync(PaymentChangedIntegrationEvent changed, KafkaRecord source, CancellationToken cancellationToken)
    {
        var what = changed.Kind switch
        {
            PaymentKind.Recharge => "credits",
            PaymentKind.Subscription => "Kinder Premium",
            _ => changed.EventId is { } eventId && await EventAsync(eventId, cancellationToken) is { } meetup
                ? $"a ticket for {meetup.Title}"
                : "an event ticket",
        };
        var amount = (changed.AmountMinor / 100m).ToString("0.00", CultureInfo.InvariantCulture) + " " + changed.Currency;
        var (title, body) = changed.Status switch
        {
            PaymentStatus.Succeeded => ("Payment received", $"You paid {amount} for {what}."),
            PaymentStatus.Failed => ("Payment failed", $"Your payment of {amount} for {what} did not go through."),
            PaymentStatus.Refunded => ("Payment refunded", $"{amount} for {what} was refunded."),
            _ => (null, null),
        };
        if (title is null)
            return;
        var status = changed.Status.ToString().ToLowerInvariant();
        await writer.WriteAsync(new NotificationCause(NotificationTypes.Payment,
                $"{NotificationTypes.Payment}:{changed.PaymentId}:{status}", title, body!,
                new NotificationData(EventId: changed.EventId, PaymentId: changed.PaymentId)),
            [changed.UserId], cancellationToken);
    }

    private Task Notify(KafkaRecord source, string type, string title, string body, NotificationData data,
        IEnumerable<Guid> recipientIds, CancellationToken cancellationToken) =>
        writer.WriteAsync(new NotificationCause(type, $"{type}:{source.Envelope.Id}", title, body, data), recipientIds,
            cancellationToken);

    private sealed record EventSummary(Guid OrganizerId, string Title);

    private Task<EventSummary?> EventAsync(Guid eventId, CancellationToken cancellationToken) =>
        db.Events.AsNoTracking().Where(e => e.Id == eventId).Select(e => new EventSummary(e.OrganizerId, e.Title))
            .SingleOrDefaultAsync(cancellationToken);

    private async Task<string> NameAsync(Guid userId, CancellationToken cancellationToken) =>
        await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.DisplayName).SingleOrDefaultAsync(cancellationToken)
        ?? "Someone";
}

/// <summary>
/// An admin broadcast (<c>moderation.events</c>) becomes a <c>broadcast</c> notification for everyone in its audience
/// (<see cref="BroadcastAudience"/>: city, interests), a batch at a time; the broadcast id is the cause, so a
/// redelivery — or a retry after a crash halfway — adds nothing for those already notified.
/// </summary>
public sealed class BroadcastHandler(KinderDbContext db, NotificationWriter writer) : IRecordHandler<BroadcastRequestedIntegrationEvent>
{
    public async Task HandleAsync(BroadcastRequestedIntegrationEvent broadcast, KafkaRecord source, CancellationToken cancellationToken)
    {
        var cause = new NotificationCause(NotificationTypes.Broadcast, $"broadcast:{broadcast.BroadcastId}", broadcast.Title,
            broadcast.Body, new NotificationData());
        Guid? after = null;
        while (await db.NextBatchAsync(broadcast, after, NotificationWriter.BatchSize, cancellationToken) is { Count: > 0 } page)
        {
            await writer.WriteAsync(cause, page, cancellationToken);
            after = page[^1];
        }
    }
}
