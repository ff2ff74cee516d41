using System.Text.Json;

namespace Kinder.Core.Notifications;

/// <summary>
/// A user's notification settings; no row means the defaults (<see cref="NotificationTypes.Default"/> for every type,
/// no quiet hours, no digest). <see cref="Types"/> holds only the types the user changed, as JSON
/// (<c>{ "rsvp": { "inApp": true, "push": false, "email": true } }</c>).
/// </summary>
public sealed class NotificationSettings
{
    public required Guid UserId { get; init; }
    public string Types { get; set; } = "{}";
    public TimeOnly? QuietStart { get; set; }
    public TimeOnly? QuietEnd { get; set; }
    public string? TimeZone { get; set; }
    public string Digest { get; set; } = DigestFrequencies.Off;
    public DateTimeOffset UpdatedAt { get; set; }

    public static NotificationSettings DefaultFor(Guid userId) => new() { UserId = userId };

    public IReadOnlyDictionary<string, NotificationChannels> ChannelsByType()
    {
        var set = JsonSerializer.Deserialize<Dictionary<string, NotificationChannels>>(Types, JsonSerializerOptions.Web) ?? [];
        return NotificationTypes.All.ToDictionary(type => type,
            type => set.TryGetValue(type, out var channels) ? channels : NotificationTypes.Default, StringComparer.Ordinal);
    }

    public NotificationChannels ChannelsFor(string type) => ChannelsByType()[type];

    public QuietHours? Quiet() =>
        QuietStart is { } start && QuietEnd is { } end && TimeZone is { } zone && QuietHours.TryZone(zone, out var info)
            ? new QuietHours(start, end, info)
            : null;
}

/// <summary>Hours, in the user's time zone, when pushes wait: <c>22:00</c>–<c>08:00</c> spans midnight.</summary>
public sealed record QuietHours(TimeOnly Start, TimeOnly End, TimeZoneInfo Zone)
{
    public static bool TryZone(string id, out TimeZoneInfo zone)
    {
        zone = TimeZoneInfo.Utc;
        if (string.IsNullOrWhiteSpace(id) || !TimeZoneInfo.TryFindSystemTimeZoneById(id, out var found))
            return false;
        zone = found;
        return true;
    }

    /// <summary>When a push at <paramref name="now"/> may go: <paramref name="now"/> itself outside quiet hours, else their end.</summary>
    public DateTimeOffset PushableAt(DateTimeOffset now)
    {
        if (Start == End)
            return now;
        var local = TimeZoneInfo.ConvertTime(now, Zone);
        var time = TimeOnly.FromDateTime(local.DateTime);
        var quiet = Start < End ? time >= Start && time < End : time >= Start || time < End;
        if (!quiet)
            return now;
        var endDate = DateOnly.FromDateTime(local.DateTime);
        if (time >= End)
            endDate = endDate.AddDays(1);
        var endLocal = endDate.ToDateTime(End);
        // A wall-clock end skipped by a DST change: the hour after it.
        while (Zone.IsInvalidTime(endLocal))
            endLocal = endLocal.AddMinutes(30);
        // In UTC: it becomes a job's due_at, and Npgsql writes only offset 0 to timestamptz.
        return new DateTimeOffset(endLocal, Zone.GetUtcOffset(endLocal)).ToUniversalTime();
    }
}
