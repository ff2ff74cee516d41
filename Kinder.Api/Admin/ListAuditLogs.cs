using System.Text.Json;
using Kinder.Core.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Api.Admin;

/// <summary><c>GET /admin/audit-logs</c>: by actor, action and time, newest first (the audit_logs indexes).</summary>
public sealed class ListAuditLogs(KinderDbContext db)
{
    public async Task<Ok<AuditLogPage>> HandleAsync(AuditLogQuery query, CancellationToken cancellationToken)
    {
        var pageSize = query.PageSize();
        NewestFirstCursor.TryDecode(query.Cursor, out var after);
        var logs = db.AuditLogs.AsNoTracking();
        if (query.ActorId is { } actorId)
        {
            logs = logs.Where(l => l.ActorId == actorId);
        }
        if (!string.IsNullOrWhiteSpace(query.Action))
        {
            logs = logs.Where(l => l.Action == query.Action);
        }
        if (query.From is { } from)
        {
            logs = logs.Where(l => l.CreatedAt >= from);
        }
        if (query.To is { } to)
        {
            logs = logs.Where(l => l.CreatedAt < to);
        }
        if (after is not null)
        {
            logs = logs.Where(l => l.CreatedAt < after.At || (l.CreatedAt == after.At && l.Id.CompareTo(after.Id) < 0));
        }
        var rows = await logs.OrderByDescending(l => l.CreatedAt).ThenByDescending(l => l.Id).Take(pageSize + 1)
            .ToListAsync(cancellationToken);
        var page = rows.Take(pageSize).Select(l => new AuditLogResponse(l.Id, l.ActorId, l.Action, l.TargetType, l.TargetId,
            l.Ip, l.UserAgent, JsonSerializer.Deserialize<JsonElement>(l.Data), l.CreatedAt)).ToList();
        return TypedResults.Ok(new AuditLogPage(page,
            rows.Count > pageSize ? new NewestFirstCursor(page[^1].CreatedAt, page[^1].Id).Encode() : null));
    }
}
