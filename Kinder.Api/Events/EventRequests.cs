using Kinder.Core.Events;

namespace Kinder.Api.Events;

/// <summary>
/// <c>POST /events</c> and <c>PUT /events/{id}</c>. <c>PUT</c> replaces the event: a missing optional member clears it.
/// Checked by <see cref="EventRequestValidator"/>.
/// </summary>
public sealed record EventRequest(
    string? Title,
    string? Description,
    DateTimeOffset? StartsAt,
    DateTimeOffset? EndsAt,
    EventLocationRequest? Location,
    int? CategoryId,
    int? Capacity,
    long? PriceMinor,
    string? Currency,
    IReadOnlyList<string>? ImageKeys,
    EventVisibility? Visibility);

public sealed record EventLocationRequest(double? Latitude, double? Longitude, string? Address, string? City);

/// <summary><c>POST /events/{id}/attendance</c>: <c>interested</c>, <c>going</c> or <c>not_going</c>.</summary>
public sealed record AttendanceRequest(AttendanceStatus? Status);
