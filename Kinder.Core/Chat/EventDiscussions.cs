using Kinder.Core.Events;

namespace Kinder.Core.Chat;

/// <summary>The names the event code calls today, forwarding to <see cref="EventDiscussion"/>, the discussion's owner.</summary>
public static class EventDiscussions
{
    public static (Conversation Conversation, ConversationMember Organizer) NewFor(Event @event, DateTimeOffset now) =>
        EventDiscussion.NewFor(@event, now);

    public static void Follow(Conversation conversation, Event @event, DateTimeOffset now) =>
        EventDiscussion.Follow(conversation, @event, now);
}
