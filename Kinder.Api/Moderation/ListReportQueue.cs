using Kinder.Core.Data;
using Kinder.Core.Moderation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Api.Moderation;

/// <summary>
/// <c>GET /admin/moderation/reports</c>: reports grouped by target, the most reported first, then the longest waiting;
/// each group with its reports (at most <see cref="ReportsPerGroup"/>, oldest first) and who was reported.
/// </summary>
public sealed class ListReportQueue(KinderDbContext db)
{
    public const int ReportsPerGroup = 20;

    private sealed record GroupRow(string TargetType, Guid TargetId, int Count, DateTimeOffset OldestAt);

    public async Task<Ok<ReportQueuePage>> HandleAsync(ReportQueueQuery query, CancellationToken cancellationToken)
    {
        var statusValue = query.Listed() ?? ReportStatus.Open;
        var status = statusValue.ToString();
        var pageSize = query.PageSize();
        ReportQueueCursor.TryDecode(query.Cursor, out var after);
        // Without a cursor: a count no group reaches, so every group is "after" it.
        var (count, oldest, type, target) = after is null
            ? (int.MaxValue, DateTimeOffset.UnixEpoch, "", Guid.Empty)
            : (after.Count, after.OldestAt, after.TargetType, after.TargetId);
        var groups = await db.ReadRawAsync("""
            SELECT target_type, target_id, count(*)::int, min(created_at)
            FROM reports WHERE status = @status
            GROUP BY target_type, target_id
            HAVING count(*) < @count
                OR (count(*) = @count AND (min(created_at) > @oldest
                    OR (min(created_at) = @oldest AND (target_type, target_id) > (@type, @target))))
            ORDER BY count(*) DESC, min(created_at), target_type, target_id
            LIMIT @limit
            """,
            [new("status", status), new("count", count), new("oldest", oldest), new("type", type), new("target", target),
                new("limit", pageSize + 1)],
            reader => new GroupRow(reader.GetString(0), reader.GetGuid(1), reader.GetInt32(2),
                reader.GetFieldValue<DateTimeOffset>(3)), cancellationToken);
        var page = groups.Take(pageSize).ToList();
        var targetIds = page.Select(g => g.TargetId).ToList();
        var reports = await db.Reports.AsNoTracking()
            .Where(r => targetIds.Contains(r.TargetId) && r.Status == statusValue)
            .OrderBy(r => r.CreatedAt)
            .ToListAsync(cancellationToken);
        var userIds = reports.Select(r => r.TargetUserId).Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id))
            .ToDictionaryAsync(u => u.Id, u => u.DisplayName, cancellationToken);
        var items = page.Select(group =>
        {
            var mine = reports.Where(r => r.TargetId == group.TargetId && r.TargetType.ToString() == group.TargetType).ToList();
            var first = mine[0];
            return new ReportGroupResponse(first.TargetType, group.TargetId, first.TargetUserId,
                names.GetValueOrDefault(first.TargetUserId), group.Count, group.OldestAt, first.TargetSummary,
                mine.Take(ReportsPerGroup).Select(ToQueued).ToList());
        }).ToList();
        var next = groups.Count > pageSize
            ? new ReportQueueCursor(page[^1].Count, page[^1].OldestAt, page[^1].TargetType, page[^1].TargetId).Encode()
            : null;
        return TypedResults.Ok(new ReportQueuePage(items, next));
    }

    internal static QueuedReportResponse ToQueued(Report r) =>
        new(r.Id, r.ReporterId, r.Reason, r.Details, r.TargetSummary, r.Status, r.Action, r.Note, r.ResolvedBy,
            r.ResolvedAt, r.CreatedAt);
}
