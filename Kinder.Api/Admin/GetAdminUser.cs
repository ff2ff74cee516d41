using Kinder.Api.Infrastructure;
using Kinder.Api.Moderation;
using Kinder.Core.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Api.Admin;

/// <summary>
/// <c>GET /admin/users/{id}</c>: the account with its latest events, reports by and against them, sanctions and
/// sessions (refresh-token families), each the latest <see cref="Latest"/>.
/// </summary>
public sealed class GetAdminUser(KinderDbContext db, TimeProvider time)
{
    public const int Latest = 20;

    public async Task<Results<Ok<AdminUserDetail>, ProblemHttpResult>> HandleAsync(Guid id, CancellationToken cancellationToken)
    {
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, cancellationToken);
        if (user is null)
        {
            return Problems.NotFound();
        }
        var events = await db.Events.AsNoTracking().Where(e => e.OrganizerId == id)
            .OrderByDescending(e => e.StartsAt).Take(Latest)
            .Select(e => new AdminEventSummary(e.Id, e.Title, e.StartsAt, e.Status.ToString(), e.RemovedAt, e.GoingCount))
            .ToListAsync(cancellationToken);
        var reportsBy = await db.Reports.AsNoTracking().Where(r => r.ReporterId == id)
            .OrderByDescending(r => r.CreatedAt).Take(Latest).ToListAsync(cancellationToken);
        var reportsAgainst = await db.Reports.AsNoTracking().Where(r => r.TargetUserId == id)
            .OrderByDescending(r => r.CreatedAt).Take(Latest).ToListAsync(cancellationToken);
        var sanctions = await db.UserSanctions.AsNoTracking().Where(s => s.UserId == id)
            .OrderByDescending(s => s.CreatedAt).Take(Latest)
            .Select(s => new SanctionResponse(s.Id, s.Kind, s.Until, s.Reason, s.ReportId, s.ActorId, s.CreatedAt, s.LiftedAt))
            .ToListAsync(cancellationToken);
        var now = time.GetUtcNow();
        var sessions = await db.RefreshTokens.AsNoTracking().Where(t => t.UserId == id)
            .GroupBy(t => t.FamilyId)
            .Select(family => new SessionResponse(family.Key, family.Min(t => t.CreatedAt), family.Max(t => t.CreatedAt),
                family.Max(t => t.ExpiresAt), family.Any(t => t.RevokedAt == null && t.ExpiresAt > now)))
            .OrderByDescending(session => session.LastUsedAt).Take(Latest)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new AdminUserDetail(ListAdminUsers.ToResponse(user), user.Bio, events,
            reportsBy.Select(ListReportQueue.ToQueued).ToList(), reportsAgainst.Select(ListReportQueue.ToQueued).ToList(),
            sanctions, sessions));
    }
}
