using Kinder.Api.Onboarding;
using Kinder.Core.Data;
using Kinder.Core.Events;
using Kinder.Core.Storage;
using Kinder.Core.Uploads;
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
        var @event = await db.Events.AsNoTracking().FirstOrDefaultAsync(e => e.Id == eventId, cancellationToken);
        if (@event is null)
        {
            return null;
        }
        var mine = await db.EventAttendances.AsNoTracking()
            .FirstOrDefaultAsync(a => a.EventId == eventId && a.UserId == viewerId, cancellationToken);
        if (@event.Visibility == EventVisibility.Private && @event.OrganizerId != viewerId && mine is null)
        {
            return null;
        }
        var organizer = await db.Users.AsNoTracking()
            .Where(user => user.Id == @event.OrganizerId)
            .Select(user => new EventOrganizerResponse(user.Id, user.DisplayName, user.AvatarKey))
            .FirstAsync(cancellationToken);
        var category = await db.Interests.AsNoTracking().FirstAsync(i => i.Id == @event.CategoryId, cancellationToken);
        double? distanceKm = null;
        if (from is not null)
        {
            var meters = await db.Events.Where(e => e.Id == eventId).Select(e => e.Location.Distance(from))
                .FirstAsync(cancellationToken);
            distanceKm = Math.Round(meters / 1000, 2);
        }
        var position = mine is null ? null : await EventAttendanceRules.WaitlistPositionAsync(db, mine, cancellationToken);
        return new EventResponse(
            @event.Id,
            @event.Title,
            @event.Description,
            @event.StartsAt,
            @event.EndsAt,
            new EventLocationResponse(@event.Location.Y, @event.Location.X, @event.Address, @event.City),
            InterestResponse.From(category),
            @event.Capacity,
            @event.PriceMinor,
            @event.Currency,
            organizer with { AvatarUrl = storage.UrlFor(organizer.AvatarUrl) },
            @event.GoingCount,
            @event.InterestedCount,
            mine?.Status,
            position,
            // The metadata-free display size, never the original (which may carry EXIF, GPS included).
            @event.ImageKeys.Select(key => storage.UrlFor(UploadKeys.DisplayKey(key, UploadKeys.LargeWidth))!).ToList(),
            @event.Visibility,
            @event.Status,
            ConversationId: null,
            distanceKm,
            @event.CreatedAt,
            @event.UpdatedAt);
    }
}
