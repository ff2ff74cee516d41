using Kinder.Api.Infrastructure;
using Kinder.Core.Moderation;
using Microsoft.AspNetCore.Mvc;

namespace Kinder.Api.Moderation;

/// <summary><c>POST /reports</c>.</summary>
public sealed record ReportRequest(ReportTargetType TargetType, Guid TargetId, ReportReason Reason, string? Details);

/// <summary><c>POST /admin/moderation/reports/{id}/resolve</c>: <c>days</c> is required for <c>suspend</c> only.</summary>
public sealed record ResolveReportRequest(ModerationAction Action, string? Note, int? Days);

/// <summary><c>GET /admin/moderation/reports</c>: open (default) or resolved, grouped by target.</summary>
public sealed record ReportQueueQuery(
    [FromQuery(Name = "status")] string? Status,
    [FromQuery(Name = "limit")] int? Limit,
    [FromQuery(Name = "cursor")] string? Cursor)
{
    /// <summary><c>open</c> (default) or <c>resolved</c>; null for anything else.</summary>
    public ReportStatus? Listed() => (Status ?? "open") switch
    {
        "open" => ReportStatus.Open,
        "resolved" => ReportStatus.Resolved,
        _ => null,
    };

    public int PageSize() => Paging.PageSize(Limit);
}

/// <summary>Where the queue's next page starts: after this target in (most reported, oldest report, target) order.</summary>
public sealed record ReportQueueCursor(int Count, DateTimeOffset OldestAt, string TargetType, Guid TargetId)
{
    public string Encode() => Cursors.Encode(this);

    public static bool TryDecode(string? cursor, out ReportQueueCursor? decoded) => Cursors.TryDecode(cursor, out decoded);
}
