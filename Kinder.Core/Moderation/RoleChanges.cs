using Kinder.Core.Data;
using Kinder.Core.Identity;
using Kinder.Core.Profiles;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Core.Moderation;

/// <summary>
/// The one way to change a user's roles (<c>PUT /admin/users/{id}/roles</c>, <c>Kinder.Workers make-admin</c>): in a
/// transaction with its audit entry, never removing the last admin, and counted at once for every token the user holds
/// (<see cref="UserSecurityState.InvalidateAsync"/>). Everyone keeps the <c>user</c> role.
/// </summary>
public sealed class RoleChanges(KinderDbContext db, AuditTrail audit, UserSecurityState securityState, TimeProvider time)
{
    public enum Outcome
    {
        Changed,
        NotFound,
        LastAdmin,
    }

    public async Task<Outcome> SetAsync(Guid userId, IReadOnlyCollection<string> roles, Guid? actorId, string auditAction,
        CancellationToken cancellationToken)
    {
        if (roles.Any(role => !KinderRoles.All.Contains(role)))
        {
            throw new ArgumentException("Unknown role.", nameof(roles));
        }
        List<string> wanted = [KinderRoles.User, .. roles.Where(role => role != KinderRoles.User).Distinct(StringComparer.Ordinal)];
        var outcome = await db.InTransactionAsync(async token =>
        {
            // Every admin's row locked, in id order: two admins demoting each other at once cannot both pass the check.
            var admins = await db.Users
                .FromSql($"SELECT * FROM users WHERE deleted_at IS NULL AND 'admin' = ANY(roles) ORDER BY id FOR UPDATE")
                .ToListAsync(token);
            var user = admins.FirstOrDefault(u => u.Id == userId) ?? await db.LockActiveUserAsync(userId, token);
            if (user is null)
            {
                return Outcome.NotFound;
            }
            if (user.Roles.Contains(KinderRoles.Admin) && !wanted.Contains(KinderRoles.Admin) && admins.Count <= 1)
            {
                return Outcome.LastAdmin;
            }
            var before = user.Roles.ToList();
            user.Roles = wanted;
            user.UpdatedAt = time.GetUtcNow();
            audit.Record(auditAction, actorId, AuditTargets.User, userId, new { before, after = wanted });
            await db.SaveChangesAsync(token);
            return Outcome.Changed;
        }, cancellationToken);
        if (outcome == Outcome.Changed)
        {
            await securityState.InvalidateAsync(userId, cancellationToken);
        }
        return outcome;
    }
}
