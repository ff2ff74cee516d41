using Kinder.Core.Data;
using Kinder.Core.Identity;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Core.Profiles;

public static class UserLocking
{
    /// <summary>
    /// Loads the user tracked and row-locked (<c>FOR UPDATE</c>) for the rest of the current transaction, so one
    /// user's concurrent profile, preference and onboarding writes run one after another; null when the account is
    /// gone or being deleted.
    /// </summary>
    public static Task<User?> LockActiveUserAsync(this KinderDbContext db, Guid userId, CancellationToken cancellationToken) =>
        db.Users.FromSql($"SELECT * FROM users WHERE id = {userId} AND deleted_at IS NULL FOR UPDATE")
            .FirstOrDefaultAsync(cancellationToken);

    /// <summary>
    /// Runs <paramref name="work"/> in a transaction inside the execution strategy (retries are on), starting each
    /// attempt with an empty change tracker so a retried attempt does not replay the failed one's changes.
    /// </summary>
    public static Task<T> InTransactionAsync<T>(this KinderDbContext db, Func<CancellationToken, Task<T>> work,
        CancellationToken cancellationToken) =>
        db.Database.CreateExecutionStrategy().ExecuteAsync(async token =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(token);
            var result = await work(token);
            await transaction.CommitAsync(token);
            return result;
        }, cancellationToken);
}
