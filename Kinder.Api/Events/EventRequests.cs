using System.ComponentModel.DataAnnotations;
using Kinder.Core.Events;

namespace Kinder.Api.Events;

/// <summary>
/// <c>POST /events</c> and <c>PUT /events/{id}</c>. <c>PUT</c> replaces the event: a missing optional member clears it.
/// </summary>
public sealed record EventRequest(
    [property: Required, StringLength(Event.MaxTitleLength, MinimumLength = Event.MinTitleLength)] string? Title,
    [property: StringLength(Event.MaxDescriptionLength)] string? Description,
    [property: Required] DateTimeOffset? StartsAt,
    [property: Required] DateTimeOffset? EndsAt,
    [property: Required] EventLocationRequest? Location,
    [property: Required] int? CategoryId,
    [property: Range(1, int.MaxValue)] int? Capacity,
    [property: Range(0L, long.MaxValue)] long? PriceMinor,
    [property: StringLength(3)] string? Currency,
    [property: MaxLength(Event.MaxImages)] IReadOnlyList<string>? ImageKeys,
    EventVisibility? Visibility);

public sealed record EventLocationRequest(
    [property: Required, Range(-90.0, 90.0)] double? Latitude,
    [property: Required, Range(-180.0, 180.0)] double? Longitude,
    [property: StringLength(Event.MaxAddressLength)] string? Address,
    [property: StringLength(Event.MaxCityLength)] string? City);

/// <summary><c>POST /events/{id}/attendance</c>: <c>interested</c>, <c>going</c> or <c>not_going</c>.</summary>
public sealed record AttendanceRequest([property: Required] AttendanceStatus? Status);
