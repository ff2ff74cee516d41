using Kinder.Api.Onboarding;
using Kinder.Core.Events;

namespace Kinder.Api.Events;

/// <summary>The <c>event</c> clients read.</summary>
public sealed record EventResponse(
    Guid Id,
    string Title,
    string? Description,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    EventLocationResponse Location,
    InterestResponse Category,
    int? Capacity,
    long PriceMinor,
    string? Currency,
    EventOrganizerResponse Organizer,
    int GoingCount,
    int InterestedCount,
    FriendsGoingResponse FriendsGoing,
    AttendanceStatus? MyStatus,
    int? MyWaitlistPosition,
    MyInviteResponse? MyInvite,
    IReadOnlyList<string> ImageUrls,
    EventVisibility Visibility,
    EventStatus Status,
    Guid? ConversationId,
    double? DistanceKm,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

public sealed record EventLocationResponse(double Latitude, double Longitude, string? Address, string? City);

public sealed record EventOrganizerResponse(Guid Id, string DisplayName, string? AvatarUrl);

/// <summary>The caller's attendance after <c>POST /events/{id}/attendance</c>.</summary>
public sealed record AttendanceResponse(AttendanceStatus Status, int? WaitlistPosition);

public sealed record AttendeeResponse(Guid Id, string DisplayName, string? AvatarUrl, AttendanceStatus Status,
    int? WaitlistPosition, DateTimeOffset Since);

public sealed record AttendeePage(IReadOnlyList<AttendeeResponse> Items, string? NextCursor);
