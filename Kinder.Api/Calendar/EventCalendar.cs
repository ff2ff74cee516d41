using System.Globalization;
using Kinder.Core.Events;

namespace Kinder.Api.Calendar;

/// <summary>Events as an iCalendar document (one event, or a user's feed).</summary>
public static class EventCalendar
{
    public const string ContentType = "text/calendar; charset=utf-8";

    /// <param name="eventUrl">The event's page for <c>URL</c>.</param>
    public static string Write(IEnumerable<Event> events, Func<Event, string> eventUrl, DateTimeOffset now, string? name = null)
    {
        var writer = new CalendarWriter()
            .Begin("VCALENDAR")
            .Raw("VERSION", "2.0")
            .Raw("PRODID", "-//Kinder//Kinder Events//EN")
            .Raw("CALSCALE", "GREGORIAN")
            .Raw("METHOD", "PUBLISH");
        if (name is not null)
        {
            writer.Text("X-WR-CALNAME", name);
        }
        foreach (var @event in events)
        {
            writer.Begin("VEVENT")
                .Raw("UID", $"{@event.Id}@kinder")
                .DateTime("DTSTAMP", now)
                .DateTime("DTSTART", @event.StartsAt)
                .DateTime("DTEND", @event.EndsAt)
                .DateTime("LAST-MODIFIED", @event.UpdatedAt)
                .Text("SUMMARY", @event.Title)
                .Text("DESCRIPTION", @event.Description)
                .Text("LOCATION", Location(@event))
                .Raw("GEO", string.Create(CultureInfo.InvariantCulture, $"{@event.Location.Y:0.######};{@event.Location.X:0.######}"))
                .Raw("URL", eventUrl(@event))
                .Raw("STATUS", @event.Status == EventStatus.Cancelled ? "CANCELLED" : "CONFIRMED")
                .End("VEVENT");
        }
        return writer.End("VCALENDAR").ToString();
    }

    private static string? Location(Event @event)
    {
        var parts = new[] { @event.Address, @event.City }.Where(part => !string.IsNullOrWhiteSpace(part)).ToList();
        return parts.Count == 0 ? null : string.Join(", ", parts);
    }
}
