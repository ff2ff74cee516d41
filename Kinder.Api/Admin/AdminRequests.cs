using Kinder.Api.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Kinder.Api.Admin;

/// <summary><c>GET /admin/analytics</c>: dates (UTC days), to inclusive; the last 30 days by default.</summary>
public sealed record AnalyticsQuery(
    [FromQuery(Name = "from")] DateOnly? From,
    [FromQuery(Name = "to")] DateOnly? To,
    [FromQuery(Name = "interval")] string? Interval)
{
    /// <summary><c>day</c> (default) or <c>week</c>; null for anything else.</summary>
    public AnalyticsInterval? Bucket() => (Interval ?? "day") switch
    {
        "day" => AnalyticsInterval.Day,
        "week" => AnalyticsInterval.Week,
        _ => null,
    };
}

public enum AnalyticsInterval
{
    Day,
    Week,
}

/// <summary><c>GET /admin/users</c>: <c>q</c> matches the start of the email or a word of the name.</summary>
public sealed record AdminUsersQuery(
    [FromQuery(Name = "q")] string? Q,
    [FromQuery(Name = "status")] string? Status,
    [FromQuery(Name = "limit")] int? Limit,
    [FromQuery(Name = "cursor")] string? Cursor)
{
    /// <summary>The status asked for (null: every undeleted user); false for an unknown one.</summary>
    public bool TryGetStatus(out AdminUserStatus? status)
    {
        status = Status switch
        {
            null => null,
            "active" => AdminUserStatus.Active,
            "suspended" => AdminUserStatus.Suspended,
            "banned" => AdminUserStatus.Banned,
            "deleted" => AdminUserStatus.Deleted,
            _ => null,
        };
        return Status is null || status is not null;
    }

    public int PageSize() => Paging.PageSize(Limit);
}

public enum AdminUserStatus
{
    Active,
    Suspended,
    Banned,
    Deleted,
}

/// <summary>Where the admin user list's next page starts: after this id (newest first: ids are UUIDv7).</summary>
public sealed record AdminUserCursor(Guid Id)
{
    public string Encode() => Cursors.Encode(this);

    public static bool TryDecode(string? cursor, out AdminUserCursor? decoded) => Cursors.TryDecode(cursor, out decoded);
}

public sealed record SuspendUserRequest(DateTimeOffset Until, string? Reason);

public sealed record BanUserRequest(string? Reason);

public sealed record ChangeRolesRequest(IReadOnlyList<string> Roles);

public sealed record BroadcastRequest(string Title, string Body, BroadcastAudienceRequest? Audience);

public sealed record BroadcastAudienceRequest(string? City, IReadOnlyList<int>? InterestIds);

/// <summary><c>GET /admin/broadcasts</c>, newest first.</summary>
public sealed record BroadcastsQuery(
    [FromQuery(Name = "limit")] int? Limit,
    [FromQuery(Name = "cursor")] string? Cursor)
{
    public int PageSize() => Paging.PageSize(Limit);
}

/// <summary><c>GET /admin/audit-logs</c>: by actor, action and time (from inclusive, to exclusive), newest first.</summary>
public sealed record AuditLogQuery(
    [FromQuery(Name = "actorId")] Guid? ActorId,
    [FromQuery(Name = "action")] string? Action,
    [FromQuery(Name = "from")] DateTimeOffset? From,
    [FromQuery(Name = "to")] DateTimeOffset? To,
    [FromQuery(Name = "limit")] int? Limit,
    [FromQuery(Name = "cursor")] string? Cursor)
{
    public int PageSize() => Paging.PageSize(Limit);
}

/// <summary>A newest-first list's position: after this row (time, then id). Audit logs and broadcasts share it.</summary>
public sealed record NewestFirstCursor(DateTimeOffset At, Guid Id)
{
    public string Encode() => Cursors.Encode(this);

    public static bool TryDecode(string? cursor, out NewestFirstCursor? decoded) => Cursors.TryDecode(cursor, out decoded);
}
