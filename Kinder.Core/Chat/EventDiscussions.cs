using Kinder.Core.Events;

namespace Kinder.Core.Chat;

/// <summary>
/// An event's discussion: one per event (unique <c>event_id</c>), owned by the organizer, read-only once the event
/// is over or cancelled. The Api creates it with the event; Workers create it for older events (upsert by event id).
/// </summary>
public static class EventDiscussions
{
    public static (Conversation Conversation, ConversationMember Organizer) NewFor(Event @event, DateTimeOffset now)
    {
        var conversation = new Conversation
        {
            Type = ConversationType.Event,
            EventId = @event.Id,
            OwnerId = @event.OrganizerId,
            Title = Truncate(@event.Title),
            ReadOnlyAfter = ReadOnlyAfter(@event, now),
            LastActivityAt = now,
            CreatedAt = now,
        };
        var organizer = new ConversationMember
        {
            ConversationId = conversation.Id,
            UserId = @event.OrganizerId,
            Role = MemberRole.Owner,
            JoinedAt = now,
        };
        return (conversation, organizer);
    }

    /// <summary>Keeps the discussion's title and read-only time in step with a changed or cancelled event.</summary>
    public static void Follow(Conversation conversation, Event @event, DateTimeOffset now)
    {
        conversation.Title = Truncate(@event.Title);
        conversation.ReadOnlyAfter = ReadOnlyAfter(@event, now);
    }

    private static DateTimeOffset ReadOnlyAfter(Event @event, DateTimeOffset now) =>
        @event.Status == EventStatus.Cancelled && now < @event.EndsAt ? now : @event.EndsAt;

    private static string Truncate(string title) =>
        title.Length <= Conversation.MaxTitleLength ? title : title[..Conversation.MaxTitleLength];
}
