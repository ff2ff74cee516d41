using Kinder.Api.Identity;
using Kinder.Core.Data;
using Kinder.Core.Events;
using Kinder.Core.Identity;
using Kinder.Core.Moderation;
using Kinder.Core.Outbox;
using Kinder.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kinder.Api.Moderation;

/// <summary>
/// Warnings, suspensions, bans and reinstatement: the one place both the moderation queue and the admin API apply
/// them. <see cref="ApplyAsync"/> and <see cref="ReinstateAsync"/> run inside the caller's transaction (the user row
/// locked) and write the audit entry with the change; <see cref="TakeEffectAsync"/>, after the commit, rewrites the
/// user's cached security state and cuts their tokens off, which closes their hub connections on every Realtime
/// instance (<see cref="AccessTokenBlacklist.CutOffChannel"/>). A suspended user's next request is then
/// <c>401 ACCOUNT_SUSPENDED</c>: the bearer check reads the suspension in the same Redis round trip as the cut-off.
/// </summary>
public sealed class UserSanctions(KinderDbContext db, AuditTrail audit, AccessTokenBlacklist blacklist,
    UserSecurityState securityState, RefreshTokenService refreshTokens, IOptions<JwtOptions> jwt,
    IOptions<ModerationOptions> options, TimeProvider time)
{
    /// <summary>Records the sanction on the locked user; a suspension or ban also hides their upcoming events.</summary>
    public async Task ApplyAsync(User locked, SanctionKind kind, DateTimeOffset? until, string? reason, Guid? reportId,
        Guid? actorId, string auditAction, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        db.UserSanctions.Add(new UserSanction
        {
            UserId = locked.Id, Kind = kind, Until = kind == SanctionKind.Suspend ? until : null, Reason = reason,
            ReportId = reportId, ActorId = actorId, CreatedAt = now,
        });
        if (kind == SanctionKind.Suspend)
        {
            locked.SuspendedUntil = until;
        }
        else if (kind == SanctionKind.Ban)
        {
            locked.BannedAt ??= now;
        }
        if (kind != SanctionKind.Warn)
        {
            locked.UpdatedAt = now;
            // Out of search, discovery and detail until reinstatement (EventViewers.IsShown); started ones are left be.
            await db.Events
                .Where(e => e.OrganizerId == locked.Id && e.Status == EventStatus.Published && e.StartsAt > now)
                .ExecuteUpdateAsync(set => set.SetProperty(e => e.Status, EventStatus.Hidden).SetProperty(e => e.UpdatedAt, now),
                    cancellationToken);
            await refreshTokens.RevokeAllAsync(locked.Id, RevocationReasons.Suspended, cancellationToken);
        }
        audit.Record(auditAction, actorId, AuditTargets.User, locked.Id,
            new { kind = kind.ToString().ToLowerInvariant(), until = kind == SanctionKind.Suspend ? until : null, reason, reportId });
        db.AddIntegrationEvent(Topics.Moderation, locked.Id.ToString(),
            new UserSanctionedIntegrationEvent(locked.Id, kind, kind == SanctionKind.Suspend ? until : null, reason, now));
    }

    /// <summary>Lifts a suspension or ban on the locked user and shows their hidden events again.</summary>
    public async Task ReinstateAsync(User locked, string? reason, Guid actorId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        locked.SuspendedUntil = null;
        locked.BannedAt = null;
        locked.UpdatedAt = now;
        await db.UserSanctions
            .Where(s => s.UserId == locked.Id && s.Kind != SanctionKind.Warn && s.LiftedAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(s => s.LiftedAt, now).SetProperty(s => s.LiftedBy, actorId),
                cancellationToken);
        await db.Events
            .Where(e => e.OrganizerId == locked.Id && e.Status == EventStatus.Hidden)
            .ExecuteUpdateAsync(set => set.SetProperty(e => e.Status, EventStatus.Published).SetProperty(e => e.UpdatedAt, now),
                cancellationToken);
        audit.Record(AuditActions.UserReinstated, actorId, AuditTargets.User, locked.Id, new { reason });
        db.AddIntegrationEvent(Topics.Moderation, locked.Id.ToString(),
            new UserSanctionedIntegrationEvent(locked.Id, null, null, reason, now));
    }

    /// <summary>
    /// Automatic escalation, after an upheld report against the locked user is marked resolved (saved): with
    /// <see cref="ModerationOptions.EscalationThreshold"/> distinct reported things upheld within the window, suspends
    /// for <see cref="ModerationOptions.EscalationSuspensionDays"/>. Returns the end of that suspension, or null.
    /// </summary>
    public async Task<DateTimeOffset?> EscalateAsync(User locked, Guid reportId, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        if (settings.EscalationThreshold == 0 || locked.BannedAt is not null || locked.SuspendedUntil > now)
        {
            return null;
        }
        var since = now - settings.EscalationWindow;
        var upheld = await db.Reports
            .Where(r => r.TargetUserId == locked.Id && r.Status == ReportStatus.Resolved && r.ResolvedAt >= since
                && r.Action != ModerationAction.Dismiss)
            .Select(r => new { r.TargetType, r.TargetId }).Distinct().CountAsync(cancellationToken);
        if (upheld < settings.EscalationThreshold)
        {
            return null;
        }
        var until = now.AddDays(settings.EscalationSuspensionDays);
        await ApplyAsync(locked, SanctionKind.Suspend, until,
            $"{upheld} upheld reports in {settings.EscalationWindow.TotalDays:0} days", reportId, null,
            AuditActions.UserAutoSuspended, cancellationToken);
        return until;
    }

    /// <summary>After the commit: the change counts at once for every token and connection the user holds.</summary>
    public async Task TakeEffectAsync(Guid userId, bool cutOff, CancellationToken cancellationToken)
    {
        await securityState.InvalidateAsync(userId, cancellationToken);
        if (cutOff)
        {
            await blacklist.RevokeAllAsync(userId, jwt.Value.AccessTokenLifetime);
        }
    }
}
