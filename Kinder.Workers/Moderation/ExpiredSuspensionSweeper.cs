using Kinder.Core.Data;
using Kinder.Core.Events;
using Kinder.Core.Moderation;
using Kinder.Core.Outbox;
using Kinder.Core.Profiles;
using Kinder.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kinder.Workers.Moderation;

/// <summary>
/// A suspension that runs out (not lifted by an admin) gives access back by itself — the bearer check compares its end
/// with the clock — but the organizer's events it hid stay hidden until someone shows them again: this sweeper does,
/// every <see cref="ModerationOptions.SuspensionSweepInterval"/>. Per organizer, under the user's row lock and checked
/// again there (a new suspension or a ban meanwhile keeps them hidden), in one transaction with its audit entry (actor:
/// none, the system).
/// </summary>
public sealed class ExpiredSuspensionSweeper(IServiceScopeFactory scopeFactory, IOptions<ModerationOptions> options,
    TimeProvider time, ILogger<ExpiredSuspensionSweeper> logger) : PeriodicService(logger)
{
    private const int BatchSize = 100;

    protected override TimeProvider WaitClock => time;

    protected override TimeSpan Interval => options.Value.SuspensionSweepInterval;

    protected override string Work => "Showing the events of expired suspensions again";

    protected override async Task RunPassAsync(CancellationToken cancellationToken)
    {
        var restored = await SweepAsync(cancellationToken);
        if (restored > 0)
        {
            logger.LogInformation("Showed the events of {Count} organizer(s) whose suspension ended", restored);
        }
    }

    /// <summary>One pass, a batch of organizers at most; returns how many had their events shown again.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KinderDbContext>();
        var audit = scope.ServiceProvider.GetRequiredService<AuditTrail>();
        var now = time.GetUtcNow();
        // Hidden is only ever a sanction's doing (UserSanctions): hidden events of an organizer no longer sanctioned.
        var organizerIds = await db.Events.Where(e => e.Status == EventStatus.Hidden)
            .Join(db.Users.Where(u => u.DeletedAt == null && u.BannedAt == null && u.SuspendedUntil != null && u.SuspendedUntil <= now),
                e => e.OrganizerId, u => u.Id, (e, u) => u.Id)
            .Distinct().Take(BatchSize).ToListAsync(cancellationToken);
        var restored = 0;
        foreach (var organizerId in organizerIds)
        {
            restored += await db.InTransactionAsync(async token =>
            {
                if (await db.LockActiveUserAsync(organizerId, token) is not { } locked || locked.BannedAt is not null
                    || locked.SuspendedUntil is not { } until || until > now)
                {
                    return 0;
                }
                var shown = await db.Events
                    .Where(e => e.OrganizerId == organizerId && e.Status == EventStatus.Hidden)
                    .ExecuteUpdateAsync(set => set.SetProperty(e => e.Status, EventStatus.Published)
                        .SetProperty(e => e.UpdatedAt, now), token);
                audit.Record(AuditActions.SuspensionExpired, null, AuditTargets.User, organizerId,
                    new { until, eventsShown = shown });
                db.AddIntegrationEvent(Topics.Moderation, organizerId.ToString(),
                    new UserSanctionedIntegrationEvent(organizerId, null, null, "suspension ended", now));
                await db.SaveChangesAsync(token);
                return 1;
            }, cancellationToken);
        }
        return restored;
    }
}
