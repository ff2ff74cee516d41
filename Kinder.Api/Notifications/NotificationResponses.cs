using Kinder.Core.Notifications;

namespace Kinder.Api.Notifications;

/// <summary>A page of the feed, newest first, and the caller's unread count (all of it, not just this page).</summary>
public sealed record NotificationPage(IReadOnlyList<NotificationView> Items, string? NextCursor, int UnreadCount);

/// <summary>The caller's settings, every type listed (defaults where they set nothing).</summary>
public sealed record NotificationSettingsResponse(
    IReadOnlyDictionary<string, NotificationChannels> Types,
    QuietHoursResponse? QuietHours,
    string Digest);

public sealed record QuietHoursResponse(string Start, string End, string TimeZone);
