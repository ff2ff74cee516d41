using System.Security.Claims;
using Kinder.Api.Infrastructure;
using Kinder.Core;
using Kinder.Core.Data;
using Kinder.Core.Identity;
using Kinder.Core.Moderation;
using Kinder.Core.Profiles;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Api.Moderation;

/// <summary>
/// <c>POST /admin/moderation/reports/{id}/resolve</c>: applies the action to the reported thing or person and resolves
/// every open report on the same target with it (the queue shows them as one), in one transaction with the audit entry.
/// An upheld report may escalate to an automatic suspension (<see cref="UserSanctions.EscalateAsync"/>).
/// </summary>
public sealed class ResolveReport(KinderDbContext db, ContentRemoval removal, UserSanctions sanctions, AuditTrail audit,
    TimeProvider time)
{
    public async Task<Results<Ok<ResolvedReportResponse>, ProblemHttpResult>> HandleAsync(Guid id,
        ResolveReportRequest request, ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        var moderatorId = principal.GetUserId();
        var sanctioned = (Guid?)null;
        var result = await db.InTransactionAsync<Results<Ok<ResolvedReportResponse>, ProblemHttpResult>>(async token =>
        {
            sanctioned = null;
            var report = await db.Reports.FromSql($"SELECT * FROM reports WHERE id = {id} FOR UPDATE")
                .FirstOrDefaultAsync(token);
            if (report is null)
            {
                return Problems.NotFound();
            }
            if (report.Status != ReportStatus.Open)
            {
                return Problems.Conflict(ErrorCodes.Conflict, "The report is already resolved.");
            }
            var now = time.GetUtcNow();
            // Locked before the content or the person, in one order everywhere: report rows, then the rest.
            var group = await db.Reports
                .FromSql($"SELECT * FROM reports WHERE target_type = {report.TargetType.ToString()} AND target_id = {report.TargetId} AND status = 'Open' FOR UPDATE")
                .ToListAsync(token);
            var target = await db.LockActiveUserAsync(report.TargetUserId, token);
            DateTimeOffset? suspendedUntil = null;
            switch (request.Action)
            {
                case ModerationAction.RemoveContent:
                    await removal.RemoveAsync(report, moderatorId, token);
                    break;
                case ModerationAction.Warn when target is not null:
                    await sanctions.ApplyAsync(target, SanctionKind.Warn, null, request.Note, report.Id, moderatorId,
                        AuditActions.UserWarned, token);
                    break;
                case ModerationAction.Suspend when target is not null:
                    suspendedUntil = now.AddDays(request.Days!.Value);
                    await sanctions.ApplyAsync(target, SanctionKind.Suspend, suspendedUntil, request.Note, report.Id,
                        moderatorId, AuditActions.UserSuspended, token);
                    sanctioned = target.Id;
                    break;
                case ModerationAction.Ban when target is not null:
                    await sanctions.ApplyAsync(target, SanctionKind.Ban, null, request.Note, report.Id, moderatorId,
                        AuditActions.UserBanned, token);
                    sanctioned = target.Id;
                    break;
            }
            foreach (var resolved in group)
            {
                resolved.Status = ReportStatus.Resolved;
                resolved.Action = request.Action;
                resolved.Note = request.Note;
                resolved.ResolvedBy = moderatorId;
                resolved.ResolvedAt = now;
            }
            audit.Record(AuditActions.ReportResolved, moderatorId, AuditTargets.Report, report.Id, new
            {
                action = request.Action.ToString(), note = request.Note, days = request.Days,
                targetType = report.TargetType.ToString(), targetId = report.TargetId, reportIds = group.Select(r => r.Id),
            });
            await db.SaveChangesAsync(token);
            if (request.Action is ModerationAction.RemoveContent or ModerationAction.Warn && target is not null
                && await sanctions.EscalateAsync(target, report.Id, token) is { } escalatedUntil)
            {
                suspendedUntil = escalatedUntil;
                sanctioned = target.Id;
                await db.SaveChangesAsync(token);
            }
            return TypedResults.Ok(new ResolvedReportResponse(report.Id, ReportStatus.Resolved, request.Action,
                group.Count, suspendedUntil));
        }, cancellationToken);
        if (sanctioned is { } userId)
        {
            await sanctions.TakeEffectAsync(userId, cutOff: true, cancellationToken);
        }
        return result;
    }
}
