using Kinder.Core.Data;
using Kinder.Messaging;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Core.Outbox;

/// <summary>
/// An erased user's share of the outbox: every email request to their address (sent or not — the account is gone,
/// so is any reason to mail it), and every published row that names them (its key or payload holds their id). Rows
/// not yet published that only name them (the deletion request itself, attendance changes) are left to go out:
/// other services still need them, and pruning deletes them once published.
/// </summary>
public sealed class OutboxErasure(KinderDbContext db)
{
    public Task<int> EraseAsync(Guid userId, string email, CancellationToken cancellationToken)
    {
        var id = userId.ToString();
        // A row the relay is publishing is locked; this waits for it, then deletes it if it still matches.
        return db.Database.ExecuteSqlAsync($"""
            DELETE FROM outbox_messages
            WHERE (topic = {Topics.Email} AND key = {email})
               OR (published_at IS NOT NULL AND (key = {id} OR strpos(payload::text, {id}) > 0))
            """, cancellationToken);
    }
}
