using Kinder.Api.Friends;
using Kinder.Api.Onboarding;
using Kinder.Core.Chat;
using Kinder.Core.Data;
using Kinder.Core.Events;
using Kinder.Core.Storage;
using Kinder.Core.Uploads;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;

namespace Kinder.Api.Events;

/// <summary>The <c>event</c> response as one viewer sees it (who may see it: <see cref="EventViewers"/>).</summary>
public static class EventReader
{
    /// <summary>The event as <paramref name="viewerId"/> sees it; null when it does not exist or is not theirs to see.</summary>
    public static async Task<EventResponse?> ReadAsync(this KinderDbContext db, ObjectStorage storage, Guid eventId,
        Guid viewerId, Point? from, CancellationToken cancellationToken) =>
        (await db.ReadManyAsync(storage, [eventId], viewerId, from, cancellationToken)).FirstOrDefault();

    /// <summary>
    /// The events as <paramref name="viewerId"/> sees them, in the order of <paramref name="eventIds"/>, in a fixed
    /// number of queries; events that do not exist or are not theirs to see are left out.
    /// With <paramref name="from"/>, each carries its distanceKm from that point.
    /// </summary>
    public static async Task<List<EventResponse>> ReadManyAsync(this KinderDbContext db, ObjectStorage storage,
        IReadOnlyList<Guid> eventIds, Guid viewerId, Point? from, CancellationToken cancellationToken)
    {
        if (eventIds.Count == 0)
        {
            return [];
        }
        var rows = await db.Events.AsNoTracking()
            .Where(e => eventIds.Contains(e.Id))
            .Select(e => new { Event = e, Meters = from == null ? (double?)null : e.Location.Distance(from) })
            .ToListAsync(cancellationToken);
        var mine = await db.EventAttendances.AsNoTracking()
            .Where(a => eventIds.Contains(a.EventId) && a.UserId == viewerId)
            .ToDictionaryAsync(a => a.EventId, cancellationToken);
        // The viewer's invites, with who invited them (the first to invite): shown on the event, and they make a
        // private event visible.
        var invited = await db.EventInvites.AsNoTracking()
            .Where(i => eventIds.Contains(i.EventId) && i.InviteeId == viewerId)
            .Join(db.Users, i => i.InviterId, u => u.Id,
                (i, u) => new { i.EventId, u.Id, u.DisplayName, u.AvatarKey, i.CreatedAt })
            .ToDictionaryAsync(i => i.EventId, i => new MyInviteResponse(
                new PersonResponse(i.Id, i.DisplayName, storage.UrlFor(i.AvatarKey)), i.CreatedAt), cancellationToken);
        var rowOrganizerIds = rows.Select(row => row.Event.OrganizerId).Distinct().ToList();
        var blocked = (await db.BlockedEitherWay(viewerId).Where(id => rowOrganizerIds.Contains(id))
            .ToListAsync(cancellationToken)).ToHashSet();
        var visible = rows
            .Where(row => EventViewers.CanSee(row.Event, viewerId,
                mine.ContainsKey(row.Event.Id) || invited.ContainsKey(row.Event.Id),
                blocked.Contains(row.Event.OrganizerId)))
            .ToDictionary(row => row.Event.Id);
        var organizerIds = visible.Values.Select(row => row.Event.OrganizerId).Distinct().ToList();
        var organizers = await db.Users.AsNoTracking()
            .Where(user => organizerIds.Contains(user.Id))
            .Select(user => new EventOrganizerResponse(user.Id, user.DisplayName, user.AvatarKey))
            .ToDictionaryAsync(organizer => organizer.Id, cancellationToken);
        var visibleIds = visible.Keys.ToList();
        // Events from before chat get their discussion from Workers; until then conversationId is null.
        var discussions = await db.Conversations.AsNoTracking()
            .Where(c => c.EventId != null && visibleIds.Contains(c.EventId.Value))
            .Select(c => new { EventId = c.EventId!.Value, c.Id })
            .ToDictionaryAsync(c => c.EventId, c => c.Id, cancellationToken);
        var friendsGoing = await FriendsGoing.ReadAsync(db, storage, viewerId, visibleIds, cancellationToken);
        var categoryIds = visible.Values.Select(row => row.Event.CategoryId).Distinct().ToList();
        var categories = await db.Interests.AsNoTracking().Where(i => categoryIds.Contains(i.Id))
            .ToDictionaryAsync(i => i.Id, cancellationToken);

        var responses = new List<EventResponse>(visible.Count);
        foreach (var id in eventIds)
        {
            if (!visible.TryGetValue(id, out var row))
            {
                continue;
            }
            var @event = row.Event;
            var attendance = mine.GetValueOrDefault(id);
            var position = attendance is null
                ? null
                : await EventAttendanceRules.WaitlistPositionAsync(db, attendance, cancellationToken);
            var organizer = organizers[@event.OrganizerId];
            responses.Add(new EventResponse(
                @event.Id,
                @event.Title,
                @event.Description,
                @event.StartsAt,
                @event.EndsAt,
                new EventLocationResponse(@event.Location.Y, @event.Location.X, @event.Address, @event.City),
                InterestResponse.From(categories[@event.CategoryId]),
                @event.Capacity,
                @event.PriceMinor,
                @event.Currency,
                organizer with { AvatarUrl = storage.UrlFor(organizer.AvatarUrl) },
                @event.GoingCount,
                @event.InterestedCount,
                friendsGoing.GetValueOrDefault(@event.Id, FriendsGoingResponse.None),
                attendance?.Status,
                position,
                invited.GetValueOrDefault(@event.Id),
                // The metadata-free display size, never the original (which may carry EXIF, GPS included), as a
                // short-lived signed URL: the caller may see this event now, which is all the URL proves.
                @event.ImageKeys.Select(key => storage.SignedUrlFor(UploadKeys.DisplayKey(key, UploadKeys.LargeWidth))).ToList(),
                @event.Visibility,
                @event.Status,
                discussions.TryGetValue(@event.Id, out var conversationId) ? conversationId : null,
                row.Meters is { } meters ? Math.Round(meters / 1000, 2) : null,
                @event.CreatedAt,
                @event.UpdatedAt));
        }
        return responses;
    }
}
