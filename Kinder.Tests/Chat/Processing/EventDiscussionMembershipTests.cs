using Kinder.Core.Chat;
using Kinder.Core.Events;
using Kinder.Core.Identity;
using Kinder.Messaging;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Tests.Chat.Processing;

/// <summary>Event discussions follow attendance and the event's changes (events.attendance, events.changes).</summary>
public sealed class EventDiscussionMembershipTests(ChatWorkersFactory workers) : IClassFixture<ChatWorkersFactory>
{
    [Fact]
    public async Task Going_creates_a_missing_discussion_with_the_organizer_as_owner_and_joins_with_a_system_message()
    {
        workers.Start();
        var (organizer, ana) = (await workers.UserAsync("Olga"), await workers.UserAsync("Ana"));
        var @event = await workers.EventAsync(organizer);

        await Going(@event, ana, AttendanceStatus.Interested);

        var conversation = await DiscussionAsync(@event);
        await WaitForBodyAsync(conversation.Id, "Ana joined");
        Assert.Equal((ConversationType.Event, "Sunset hike", organizer.Id), (conversation.Type, conversation.Title, conversation.OwnerId));
        Assert.Equal(@event.EndsAt, conversation.ReadOnlyAfter!.Value, TimeSpan.FromMilliseconds(1));
        var members = (await workers.MembersAsync(conversation.Id)).ToDictionary(m => m.UserId);
        Assert.Equal(MemberRole.Owner, members[organizer.Id].Role);
        Assert.Equal(MemberRole.Member, members[ana.Id].Role);
        Assert.All(members.Values, m => Assert.Null(m.LeftAt));
        var system = Assert.Single(await workers.MessagesAsync(conversation.Id));
        Assert.Equal((MessageType.System, (Guid?)null, (Guid?)@event.Id), (system.Type, system.SenderId, system.EventId));
        Assert.Contains(workers.Outgoing.MembersChanged(conversation.Id), c => c.MemberIds.Contains(ana.Id));
    }

    [Fact]
    public async Task Going_joins_the_discussion_the_Api_made_with_the_event_and_makes_no_second_one()
    {
        workers.Start();
        var (organizer, ana) = (await workers.UserAsync("Olga"), await workers.UserAsync("Ana"));
        var @event = await workers.EventAsync(organizer);
        var (made, owner) = EventDiscussion.NewFor(@event, DateTimeOffset.UtcNow);
        await workers.QueryAsync(async db =>
        {
            db.Conversations.Add(made);
            db.ConversationMembers.Add(owner);
            return await db.SaveChangesAsync();
        });

        await Going(@event, ana, null);

        await WaitForBodyAsync(made.Id, "Ana joined");
        Assert.Equal([made.Id], await workers.QueryAsync(db => db.Conversations.Where(c => c.EventId == @event.Id).Select(c => c.Id).ToListAsync()));
        Assert.Equal(new[] { organizer.Id, ana.Id }.Order(), (await workers.MembersAsync(made.Id)).Select(m => m.UserId).Order());
    }

    [Fact]
    public async Task A_discussion_made_for_an_older_event_starts_with_everyone_already_going()
    {
        workers.Start();
        var (organizer, ana, bob, cleo) = (await workers.UserAsync("Olga"), await workers.UserAsync("Ana"),
            await workers.UserAsync("Bob"), await workers.UserAsync("Cleo"));
        var @event = await workers.EventAsync(organizer, ana, bob);

        await Going(@event, cleo, null);

        var conversation = await DiscussionAsync(@event);
        await WaitForBodyAsync(conversation.Id, "Cleo joined");
        var members = await workers.MembersAsync(conversation.Id);
        Assert.Equal(new[] { organizer.Id, ana.Id, bob.Id, cleo.Id }.Order(), members.Select(m => m.UserId).Order());
    }

    [Fact]
    public async Task Not_going_after_going_leaves_the_discussion_with_a_system_message()
    {
        workers.Start();
        var (organizer, ana) = (await workers.UserAsync("Olga"), await workers.UserAsync("Ana"));
        var @event = await workers.EventAsync(organizer);
        await Going(@event, ana, null);
        var conversation = await DiscussionAsync(@event);
        await WaitForBodyAsync(conversation.Id, "Ana joined");

        await Publish(@event, new AttendanceChangedIntegrationEvent(@event.Id, ana.Id, AttendanceStatus.NotGoing,
            AttendanceStatus.Going, DateTimeOffset.UtcNow));

        await WaitForBodyAsync(conversation.Id, "Ana left");
        Assert.NotNull((await workers.MembersAsync(conversation.Id)).Single(m => m.UserId == ana.Id).LeftAt);
        var created = workers.Outgoing.Created(conversation.Id).Single(c => c.Message.Body == "Ana left");
        Assert.DoesNotContain(ana.Id, created.RecipientIds);
        Assert.Contains(workers.Outgoing.MembersChanged(conversation.Id),
            c => c.AffectedUserIds.Contains(ana.Id) && !c.MemberIds.Contains(ana.Id));
    }

    [Fact]
    public async Task Interested_and_waitlisted_people_are_not_members_and_nothing_is_said()
    {
        workers.Start();
        var (organizer, ana, bob, cleo) = (await workers.UserAsync("Olga"), await workers.UserAsync("Ana"),
            await workers.UserAsync("Bob"), await workers.UserAsync("Cleo"));
        var @event = await workers.EventAsync(organizer);

        await Publish(@event, new AttendanceChangedIntegrationEvent(@event.Id, ana.Id, AttendanceStatus.Interested, null, DateTimeOffset.UtcNow));
        await Publish(@event, new AttendanceChangedIntegrationEvent(@event.Id, bob.Id, AttendanceStatus.Waitlisted,
            AttendanceStatus.Interested, DateTimeOffset.UtcNow));
        await Going(@event, cleo, null); // same event, same partition: handled after the two above

        var conversation = await DiscussionAsync(@event);
        await WaitForBodyAsync(conversation.Id, "Cleo joined");
        var members = await workers.MembersAsync(conversation.Id);
        Assert.DoesNotContain(members, m => m.UserId == ana.Id || m.UserId == bob.Id);
        Assert.Equal(["Cleo joined"], (await workers.MessagesAsync(conversation.Id)).Select(m => m.Body));
    }

    [Fact]
    public async Task A_promotion_from_the_waitlist_joins_once()
    {
        workers.Start();
        var (organizer, ana) = (await workers.UserAsync("Olga"), await workers.UserAsync("Ana"));
        var @event = await workers.EventAsync(organizer);
        var now = DateTimeOffset.UtcNow;

        // What EventAttendanceRules.PromoteAsync writes: the status change, then the promotion.
        await Publish(@event, new AttendanceChangedIntegrationEvent(@event.Id, ana.Id, AttendanceStatus.Going, AttendanceStatus.Waitlisted, now));
        await Publish(@event, new WaitlistPromotedIntegrationEvent(@event.Id, ana.Id, now));
        var marker = await workers.UserAsync("Marker");
        await Going(@event, marker, null);

        var conversation = await DiscussionAsync(@event);
        await WaitForBodyAsync(conversation.Id, "Marker joined");
        Assert.Null((await workers.MembersAsync(conversation.Id)).Single(m => m.UserId == ana.Id).LeftAt);
        Assert.Single(await workers.MessagesAsync(conversation.Id), m => m.Body == "Ana joined");
    }

    [Fact]
    public async Task A_promotion_alone_makes_the_person_a_member()
    {
        workers.Start();
        var (organizer, ana) = (await workers.UserAsync("Olga"), await workers.UserAsync("Ana"));
        var @event = await workers.EventAsync(organizer);

        await Publish(@event, new WaitlistPromotedIntegrationEvent(@event.Id, ana.Id, DateTimeOffset.UtcNow));

        var conversation = await DiscussionAsync(@event);
        await Eventually(async () => (await workers.MembersAsync(conversation.Id)).Any(m => m.UserId == ana.Id && m.LeftAt == null),
            "Ana is a member");
    }

    [Fact]
    public async Task Going_again_after_leaving_brings_the_same_member_row_back()
    {
        workers.Start();
        var (organizer, ana) = (await workers.UserAsync("Olga"), await workers.UserAsync("Ana"));
        var @event = await workers.EventAsync(organizer);
        await Going(@event, ana, null);
        var conversation = await DiscussionAsync(@event);
        await WaitForBodyAsync(conversation.Id, "Ana joined");
        await Publish(@event, new AttendanceChangedIntegrationEvent(@event.Id, ana.Id, AttendanceStatus.NotGoing, AttendanceStatus.Going, DateTimeOffset.UtcNow));
        await WaitForBodyAsync(conversation.Id, "Ana left");

        await Going(@event, ana, AttendanceStatus.NotGoing);

        await WaitFor(conversation.Id, bodies => bodies.SequenceEqual(["Ana joined", "Ana left", "Ana joined"]));
        var row = Assert.Single(await workers.MembersAsync(conversation.Id), m => m.UserId == ana.Id);
        Assert.Null(row.LeftAt);
        Assert.Equal(MemberRole.Member, row.Role);
        Assert.Equal(2, row.LastReadSeq); // starts reading at the rejoin, not with unread history
    }

    [Fact]
    public async Task An_attendance_record_delivered_twice_says_joined_once()
    {
        workers.Start();
        var (organizer, ana) = (await workers.UserAsync("Olga"), await workers.UserAsync("Ana"));
        var @event = await workers.EventAsync(organizer);
        var changed = new AttendanceChangedIntegrationEvent(@event.Id, ana.Id, AttendanceStatus.Going, null, DateTimeOffset.UtcNow);

        var envelope = await Publish(@event, changed);
        await Publish(@event, changed, again: envelope);
        var marker = await workers.UserAsync("Marker");
        await Going(@event, marker, null);

        var conversation = await DiscussionAsync(@event);
        await WaitForBodyAsync(conversation.Id, "Marker joined");
        await Task.Delay(300); // the redelivery's message, if any, was submitted before the marker's
        Assert.Equal(["Ana joined", "Marker joined"], (await workers.MessagesAsync(conversation.Id)).Select(m => m.Body));
        Assert.Single(await workers.MembersAsync(conversation.Id), m => m.UserId == ana.Id);
    }

    [Fact]
    public async Task The_organizers_own_going_says_nothing()
    {
        workers.Start();
        var (organizer, ana) = (await workers.UserAsync("Olga"), await workers.UserAsync("Ana"));
        var @event = await workers.EventAsync(organizer);

        await Going(@event, organizer, null); // what the Api writes with a new event
        await Going(@event, ana, null);

        var conversation = await DiscussionAsync(@event);
        await WaitForBodyAsync(conversation.Id, "Ana joined");
        Assert.Equal(["Ana joined"], (await workers.MessagesAsync(conversation.Id)).Select(m => m.Body));
    }

    [Fact]
    public async Task A_reschedule_moves_the_read_only_time_to_the_new_end_and_says_the_new_start()
    {
        workers.Start();
        var organizer = await workers.UserAsync("Olga");
        var @event = await workers.EventAsync(organizer);
        var startsAt = new DateTimeOffset(2026, 12, 5, 18, 0, 0, TimeSpan.Zero);
        var endsAt = startsAt.AddHours(3);

        await workers.PublishAsync(Topics.EventChanges, @event.Id, new EventRescheduledIntegrationEvent(@event.Id, startsAt, endsAt,
            @event.StartsAt, @event.EndsAt, []));

        var conversation = await DiscussionAsync(@event);
        await WaitForBodyAsync(conversation.Id, "The event moved to Sat 5 Dec 18:00 UTC");
        Assert.Equal(endsAt, (await DiscussionAsync(@event)).ReadOnlyAfter);
    }

    [Fact]
    public async Task A_cancellation_makes_the_discussion_read_only_now_and_says_so_once()
    {
        workers.Start();
        var (organizer, ana) = (await workers.UserAsync("Olga"), await workers.UserAsync("Ana"));
        var @event = await workers.EventAsync(organizer, ana);
        var cancelledAt = DateTimeOffset.UtcNow;
        var cancelled = new EventCancelledIntegrationEvent(@event.Id, @event.Title, cancelledAt, [ana.Id]);

        var envelope = await workers.PublishAsync(Topics.EventChanges, @event.Id, cancelled);
        await workers.PublishAsync(Topics.EventChanges, @event.Id, cancelled, again: envelope);
        await workers.PublishAsync(Topics.EventChanges, @event.Id, new EventRelocatedIntegrationEvent(@event.Id, 41.4, 2.2,
            "Marker street 1", null, [])); // same event, same partition: after both

        var conversation = await DiscussionAsync(@event);
        var created = await workers.Outgoing.WaitForCreatedAsync(conversation.Id,
            c => c.Any(m => m.Message.Body == "The event moved to Marker street 1"));
        Assert.Equal(new[] { organizer.Id, ana.Id }.Order(), created[0].RecipientIds.Order());
        Assert.Equal(["The event was cancelled", "The event moved to Marker street 1"],
            (await workers.MessagesAsync(conversation.Id)).Select(m => m.Body));
        var stored = await DiscussionAsync(@event);
        Assert.Equal(cancelledAt, stored.ReadOnlyAfter!.Value, TimeSpan.FromMilliseconds(1));
        Assert.True(stored.IsReadOnlyAt(DateTimeOffset.UtcNow));
    }

    [Fact]
    public async Task A_stale_going_that_arrives_after_not_going_leaves_the_membership_as_the_attendance_is()
    {
        workers.Start();
        var (organizer, ana) = (await workers.UserAsync("Olga"), await workers.UserAsync("Ana"));
        var @event = await workers.EventAsync(organizer);
        var going = new AttendanceChangedIntegrationEvent(@event.Id, ana.Id, AttendanceStatus.Going, null, DateTimeOffset.UtcNow);
        await Publish(@event, going);
        var conversation = await DiscussionAsync(@event);
        await WaitForBodyAsync(conversation.Id, "Ana joined");

        // Ana says she is not going, and the records come reversed: not going first, then a late copy of her going.
        await SetAttendanceAsync(@event.Id, ana.Id, AttendanceStatus.NotGoing);
        await workers.PublishAsync(Topics.Attendance, @event.Id, new AttendanceChangedIntegrationEvent(@event.Id, ana.Id,
            AttendanceStatus.NotGoing, AttendanceStatus.Going, DateTimeOffset.UtcNow));
        await workers.PublishAsync(Topics.Attendance, @event.Id, going);
        var marker = await workers.UserAsync("Marker");
        await Going(@event, marker, null); // same event, same partition: after both

        await WaitForBodyAsync(conversation.Id, "Marker joined");
        Assert.NotNull((await workers.MembersAsync(conversation.Id)).Single(m => m.UserId == ana.Id).LeftAt);
        Assert.Equal(["Ana joined", "Ana left", "Marker joined"], (await workers.MessagesAsync(conversation.Id)).Select(m => m.Body));
    }

    private Task<KafkaEnvelope> Going(Event @event, User user, AttendanceStatus? previous) =>
        Publish(@event, new AttendanceChangedIntegrationEvent(@event.Id, user.Id, AttendanceStatus.Going, previous,
            DateTimeOffset.UtcNow));

    /// <summary>Writes the attendance the record tells of, as the Api does in the record's transaction, then publishes it.</summary>
    private async Task<KafkaEnvelope> Publish<T>(Event @event, T integrationEvent, KafkaEnvelope? again = null) where T : class, IRecord
    {
        switch (integrationEvent)
        {
            case AttendanceChangedIntegrationEvent changed:
                await SetAttendanceAsync(changed.EventId, changed.UserId, changed.Status);
                break;
            case WaitlistPromotedIntegrationEvent promoted:
                await SetAttendanceAsync(promoted.EventId, promoted.UserId, AttendanceStatus.Going);
                break;
        }
        return await workers.PublishAsync(Topics.Attendance, @event.Id, integrationEvent, again);
    }

    private Task SetAttendanceAsync(Guid eventId, Guid userId, AttendanceStatus status) =>
        workers.QueryAsync(async db =>
        {
            var sequence = (await db.EventAttendances.Where(a => a.EventId == eventId).MaxAsync(a => (long?)a.Sequence) ?? 0) + 1;
            var attendance = await db.EventAttendances.FirstOrDefaultAsync(a => a.EventId == eventId && a.UserId == userId);
            if (attendance is null)
                db.EventAttendances.Add(attendance = new EventAttendance { EventId = eventId, UserId = userId });
            attendance.Status = status;
            attendance.Sequence = sequence;
            return await db.SaveChangesAsync();
        });

    private async Task<Conversation> DiscussionAsync(Event @event)
    {
        Conversation? conversation = null;
        await Eventually(async () => (conversation = await workers.QueryAsync(db =>
            db.Conversations.AsNoTracking().FirstOrDefaultAsync(c => c.EventId == @event.Id))) is not null, "the discussion exists");
        return conversation!;
    }

    private Task WaitForBodyAsync(Guid conversationId, string body) =>
        workers.Outgoing.WaitForCreatedAsync(conversationId, c => c.Any(m => m.Message.Body == body));

    private Task WaitFor(Guid conversationId, Func<IEnumerable<string?>, bool> condition) =>
        workers.Outgoing.WaitForCreatedAsync(conversationId, c => condition(c.Select(m => m.Message.Body)));

    private static async Task Eventually(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Timed out waiting until {what}.");
            await Task.Delay(50);
        }
    }
}
