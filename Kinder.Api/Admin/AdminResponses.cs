using System.Text.Json;
using Kinder.Api.Moderation;
using Kinder.Core.Moderation;

namespace Kinder.Api.Admin;

public sealed record DashboardResponse(DashboardUsers Users, DashboardEvents Events, long Messages24h, long ReportsOpen,
    MoneyResponse Revenue30d);

public sealed record DashboardUsers(long Total, long New7d, long Active7d);

public sealed record DashboardEvents(long Upcoming);

public sealed record MoneyResponse(long AmountMinor, string Currency);

public sealed record AnalyticsResponse(AnalyticsInterval Interval, string Currency, IReadOnlyList<AnalyticsPoint> Series);

/// <summary>One bucket (a UTC day, or the ISO week starting that Monday).</summary>
public sealed record AnalyticsPoint(DateOnly Date, long Signups, long EventsCreated, long Rsvps, long Messages,
    long RevenueMinor);

public sealed record AdminUserResponse(Guid Id, string Email, string DisplayName, IReadOnlyList<string> Roles,
    bool EmailVerified, string? City, DateTimeOffset CreatedAt, DateTimeOffset? SuspendedUntil, DateTimeOffset? BannedAt,
    DateTimeOffset? DeletedAt);

public sealed record AdminUserPage(IReadOnlyList<AdminUserResponse> Items, string? NextCursor);

public sealed record AdminUserDetail(AdminUserResponse User, string? Bio, IReadOnlyList<AdminEventSummary> Events,
    IReadOnlyList<QueuedReportResponse> ReportsBy, IReadOnlyList<QueuedReportResponse> ReportsAgainst,
    IReadOnlyList<SanctionResponse> Sanctions, IReadOnlyList<SessionResponse> Sessions);

public sealed record AdminEventSummary(Guid Id, string Title, DateTimeOffset StartsAt, string Status,
    DateTimeOffset? RemovedAt, int GoingCount);

public sealed record SanctionResponse(Guid Id, SanctionKind Kind, DateTimeOffset? Until, string? Reason, Guid? ReportId,
    Guid? ActorId, DateTimeOffset CreatedAt, DateTimeOffset? LiftedAt);

/// <summary>A refresh-token family: one signed-in device.</summary>
public sealed record SessionResponse(Guid FamilyId, DateTimeOffset StartedAt, DateTimeOffset LastUsedAt,
    DateTimeOffset ExpiresAt, bool Active);

public sealed record BroadcastResponse(Guid Id, string Title, string Body, BroadcastAudienceResponse Audience,
    Guid CreatedBy, DateTimeOffset CreatedAt);

public sealed record BroadcastAudienceResponse(string? City, IReadOnlyList<int> InterestIds);

public sealed record BroadcastPage(IReadOnlyList<BroadcastResponse> Items, string? NextCursor);

public sealed record AuditLogResponse(Guid Id, Guid? ActorId, string Action, string? TargetType, string? TargetId,
    string? Ip, string? UserAgent, JsonElement Data, DateTimeOffset CreatedAt);

public sealed record AuditLogPage(IReadOnlyList<AuditLogResponse> Items, string? NextCursor);
