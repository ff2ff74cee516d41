using Kinder.Core.Events;
using NetTopologySuite.Geometries;

namespace Kinder.Api.Events;

/// <summary>How a valid event request (see <see cref="EventRequestValidator"/>) sets an event's fields.</summary>
public static class EventRules
{
    public static void Apply(EventRequest request, Event @event, DateTimeOffset now)
    {
        @event.Title = request.Title!.Trim();
        @event.Description = Blank(request.Description);
        @event.StartsAt = request.StartsAt!.Value.ToUniversalTime();
        @event.EndsAt = request.EndsAt!.Value.ToUniversalTime();
        var location = request.Location!;
        @event.Location = new Point(location.Longitude!.Value, location.Latitude!.Value) { SRID = 4326 };
        @event.Address = Blank(location.Address);
        @event.City = Blank(location.City);
        @event.CategoryId = request.CategoryId!.Value;
        @event.Capacity = request.Capacity;
        @event.PriceMinor = request.PriceMinor ?? 0;
        @event.Currency = string.IsNullOrEmpty(request.Currency) ? null : request.Currency.ToUpperInvariant();
        @event.ImageKeys = request.ImageKeys?.Select(key => key.Trim()).ToList() ?? [];
        @event.Visibility = request.Visibility ?? EventVisibility.Public;
        @event.UpdatedAt = now;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
