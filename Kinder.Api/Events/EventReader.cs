using Kinder.Api.Onboarding;
using Kinder.Core.Data;
using Kinder.Core.Events;
using Kinder.Core.Storage;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;

namespace Kinder.Api.Events;

/// <summary>Who may see an event, and the <c>event</c> response as one viewer sees it.</summary>
public static class EventReader
{
    /// <summary>Public events are visible to everyone; private ones to the organizer and the people on them.</summary>
    public static async Task<bool> CanSeeAsync(this KinderDbContext db, Event @event, Guid viewerId,
        CancellationToken cancellationToken) =>
        @event.Visibility == EventVisibility.Public
        || @event.OrganizerId == viewerId
        || await db.EventAttendances.AnyAsync(a => a.EventId == @event.Id && a.UserId == viewerId, cancellationToken);

    /// <summary>The event as <paramref name="viewerId"/> sees it; null when it does not exist or is not theirs to see.</summary>
    public static async Task<EventResponse?> ReadAsync(this KinderDbContext db, StorageOptions storage, Guid eventId,
        Guid viewerId, Point? from, CancellationToken cancellationToken)
    {
        var read = await db.ReadManyAsync(storage, [eventId], viewerId, from, cancellationToken);
        return read.GetValueOrDefault(eventId);
    }

    /// <summary>
    /// Several events as <paramref name="viewerId"/> sees them, in a fixed number of queries (lists read many);
    /// the ones that do not exist or are not theirs to see are left out.
    /// </summary>
    public static async Task<Dictionary<Guid, EventResponse>> ReadManyAsync(this KinderDbContext db,
        StorageOptions storage, IReadOnlyCollection<Guid> eventIds, Guid viewerId, Point? from,
        CancellationToken cancellationToken)
    {
        var events = await db.Events.AsNoTracking().Where(e => eventIds.Contains(e.Id)).ToListAsync(cancellationToken);
        if (events.Count == 0)
        {
            return [];
        }
        var mine = await db.EventAttendances.AsNoTracking()
            .Where(a => eventIds.Contains(a.EventId) && a.UserId == viewerId)
            .ToDictionaryAsync(a => a.EventId, cancellationToken);
        events.RemoveAll(e => e.Visibility == EventVisibility.Private && e.OrganizerId != viewerId
            && !mine.ContainsKey(e.Id));
        var organizerIds = events.Select(e => e.OrganizerId).Distinct().ToList();
        var organizers = await db.Users.AsNoTracking()
            .Where(user => organizerIds.Contains(user.Id))
            .Select(user => new EventOrganizerResponse(user.Id, user.DisplayName, user.AvatarKey))
            .ToDictionaryAsync(organizer => organizer.Id, cancellationToken);
        var categoryIds = events.Select(e => e.CategoryId).Distinct().ToList();
        var categories = await db.Interests.AsNoTracking().Where(i => categoryIds.Contains(i.Id))
            .ToDictionaryAsync(i => i.Id, cancellationToken);
        var distances = new Dictionary<Guid, double>();
        if (from is not null)
        {
            distances = await db.Events.Where(e => eventIds.Contains(e.Id))
                .Select(e => new { e.Id, Meters = e.Location.Distance(from) })
                .ToDictionaryAsync(row => row.Id, row => Math.Round(row.Meters / 1000, 2), cancellationToken);
        }

        var responses = new Dictionary<Guid, EventResponse>(events.Count);
        foreach (var @event in events)
        {
            var attendance = mine.GetValueOrDefault(@event.Id);
            var position = attendance is null
                ? null
                : await EventAttendanceRules.WaitlistPositionAsync(db, attendance, cancellationToken);
            var organizer = organizers[@event.OrganizerId];
            responses[@event.Id] = new EventResponse(
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
                attendance?.Status,
                position,
                @event.ImageKeys.Select(key => storage.UrlFor(key)!).ToList(),
                @event.Visibility,
                @event.Status,
                ConversationId: null,
                distances.TryGetValue(@event.Id, out var km) ? km : null,
                @event.CreatedAt,
                @event.UpdatedAt);
        }
        return responses;
    }
}
