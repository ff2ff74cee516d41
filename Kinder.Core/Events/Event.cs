using NetTopologySuite.Geometries;

namespace Kinder.Core.Events;

/// <summary>
/// An event users meet at. Times are UTC; the place is a WGS 84 point (PostGIS geography) with its address.
/// <see cref="GoingCount"/> and <see cref="InterestedCount"/> are kept in step with the attendance rows under a row
/// lock on the event (<see cref="EventLocking"/>), so capacity is checked against them.
/// </summary>
public sealed class Event
{
    public const int MinTitleLength = 3;
    public const int MaxTitleLength = 120;
    public const int MaxDescriptionLength = 5000;
    public const int MaxAddressLength = 300;
    public const int MaxCityLength = 120;
    public const int MaxImages = 10;
    public const int MaxImageKeyLength = 300;

    /// <summary>The highest price, in minor units (1,000,000.00 in a two-decimal currency): a bound no real ticket
    /// reaches, so sums and conversions never overflow.</summary>
    public const long MaxPriceMinor = 100_000_000;

    /// <summary>How far ahead an event may start: plans further out are guesses, and dates there are usually typos.</summary>
    public static readonly TimeSpan MaxStartAhead = TimeSpan.FromDays(2 * 365);

    /// <summary>The longest an event may run.</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromDays(14);

    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required Guid OrganizerId { get; init; }
    public required string Title { get; set; }
    public string? Description { get; set; }
    public DateTimeOffset StartsAt { get; set; }
    public DateTimeOffset EndsAt { get; set; }

    /// <summary>WGS 84 point (SRID 4326), stored as PostGIS geography.</summary>
    public required Point Location { get; set; }
    public string? Address { get; set; }
    public string? City { get; set; }

    /// <summary>An interest id (<see cref="Interests.Interest"/>): the categories are the interest catalog.</summary>
    public int CategoryId { get; set; }

    /// <summary>Most people going (the organizer included); null for no limit.</summary>
    public int? Capacity { get; set; }

    /// <summary>Price in minor units of <see cref="Currency"/>; 0 is free.</summary>
    public long PriceMinor { get; set; }

    /// <summary>ISO 4217 code, upper case; required when <see cref="PriceMinor"/> is above 0.</summary>
    public string? Currency { get; set; }

    /// <summary>Storage keys of the event's images, in display order.</summary>
    public List<string> ImageKeys { get; set; } = [];

    public EventVisibility Visibility { get; set; } = EventVisibility.Public;
    public EventStatus Status { get; set; } = EventStatus.Published;

    public int GoingCount { get; set; }
    public int InterestedCount { get; set; }

    /// <summary>
    /// The last attendance sequence number handed out for this event. Every attendance change takes the next one
    /// under the event's row lock, so sequence order is the order people asked in (the waitlist order, the attendee
    /// list's stable paging order).
    /// </summary>
    public long AttendanceSequence { get; set; }

    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;
    public DateTimeOffset UpdatedAt { get; set; } = DateTimeOffset.UtcNow;
    public DateTimeOffset? CancelledAt { get; set; }

    /// <summary>
    /// Set when a moderator removed the event (it is cancelled too): no one sees it through the user API any more
    /// (<see cref="EventViewers.CanSee"/>); moderators still read it in the queue.
    /// </summary>
    public DateTimeOffset? RemovedAt { get; set; }

    public bool IsFull => Capacity is { } capacity && GoingCount >= capacity;
}

public enum EventVisibility
{
    Public,
    Private,
}

public enum EventStatus
{
    Published,
    Cancelled,

    /// <summary>
    /// Its organizer is suspended or banned: out of search, discovery and detail, like a removed event, until they
    /// are reinstated (then <see cref="Published"/> again). Only upcoming events are hidden.
    /// </summary>
    Hidden,
}
