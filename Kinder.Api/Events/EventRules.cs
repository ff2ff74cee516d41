using System.Text.RegularExpressions;
using Kinder.Api.Infrastructure;
using Kinder.Core.Events;
using NetTopologySuite.Geometries;

namespace Kinder.Api.Events;

/// <summary>What DataAnnotations cannot say about an event request, and how a valid one sets an event's fields.</summary>
public static partial class EventRules
{
    /// <summary>
    /// Checks times, price and currency. <paramref name="existing"/> is the event being replaced: an unchanged start may
    /// lie in the past (an event under way can still be edited), a changed one may not.
    /// </summary>
    /// <paramref name="usableImageKeys"/>: the requested image keys that are completed event_image uploads of the caller.
    public static FieldErrors Validate(EventRequest request, DateTimeOffset now, bool categoryExists,
        IReadOnlySet<string> usableImageKeys, Event? existing)
    {
        var errors = new FieldErrors();
        if (string.IsNullOrWhiteSpace(request.Title) || request.Title.Trim().Length < Event.MinTitleLength)
        {
            errors.Add("title", $"The title needs at least {Event.MinTitleLength} characters.");
        }
        var startsAt = request.StartsAt!.Value;
        var endsAt = request.EndsAt!.Value;
        if (startsAt <= now && (existing is null || existing.StartsAt != startsAt))
        {
            errors.Add("startsAt", "The event must start in the future.");
        }
        if (endsAt <= startsAt)
        {
            errors.Add("endsAt", "The event must end after it starts.");
        }
        else if (endsAt - startsAt > Event.MaxDuration)
        {
            errors.Add("endsAt", $"An event may last at most {Event.MaxDuration.TotalDays:0} days.");
        }
        if (!categoryExists)
        {
            errors.Add("categoryId", "There is no such category.");
        }
        var priceMinor = request.PriceMinor ?? 0;
        if (request.Currency is { } currency && !CurrencyCode().IsMatch(currency))
        {
            errors.Add("currency", "The currency must be a three-letter ISO 4217 code.");
        }
        else if (priceMinor > 0 && string.IsNullOrEmpty(request.Currency))
        {
            errors.Add("currency", "A priced event needs its currency.");
        }
        if (request.ImageKeys is { } keys)
        {
            for (var index = 0; index < keys.Count; index++)
            {
                if (string.IsNullOrWhiteSpace(keys[index]) || keys[index].Length > Event.MaxImageKeyLength)
                {
                    errors.Add($"imageKeys[{index}]", "Not a valid image key.");
                }
                else if (!usableImageKeys.Contains(keys[index].Trim()))
                {
                    errors.Add($"imageKeys[{index}]", "Not a completed event_image upload of yours.");
                }
            }
        }
        if (existing is not null && request.Capacity is { } capacity && capacity < existing.GoingCount)
        {
            errors.Add("capacity", $"{existing.GoingCount} people are going already; the capacity cannot be lower.");
        }
        return errors;
    }

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

    [GeneratedRegex("^[A-Za-z]{3}$")]
    private static partial Regex CurrencyCode();
}
