using Kinder.Core.Chat;
using Kinder.Core.Data;
using Kinder.Core.Events;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Api.Events;

/// <summary>
/// The events feature's only calls into chat: an event's discussion opens with it and follows its changes. Chat owns
/// the rules (<see cref="EventDiscussions"/>); this is where events hand over.
/// </summary>
public static class EventDiscussion
{
    /// <summary>The event's discussion, in the same transaction as the event (the organizer owns it).</summary>
    public static void Open(KinderDbContext db, Event @event, DateTimeOffset now)
    {
        var (discussion, owner) = EventDiscussions.NewFor(@event, now);
        db.Conversations.Add(discussion);
        db.ConversationMembers.Add(owner);
    }

    /// <summary>The discussion's title and read-only time follow the event (title, end, cancellation).</summary>
    public static async Task FollowAsync(KinderDbContext db, Event @event, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var discussion = await db.Conversations.FirstOrDefaultAsync(c => c.EventId == @event.Id, cancellationToken);
        if (discussion is not null)
        {
            EventDiscussions.Follow(discussion, @event, now);
        }
    }
}
