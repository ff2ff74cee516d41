using Kinder.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Core.Moderation;

/// <summary>
/// Who a broadcast reaches: every user neither deleted nor banned, narrowed to its city and/or to those with one of
/// its interests. Read in batches by user id (keyset on the primary key), so a consumer never holds the whole audience
/// and a retried batch resumes where it stopped.
/// </summary>
public static class BroadcastAudience
{
    /// <summary>The next <paramref name="batchSize"/> user ids after <paramref name="afterUserId"/> (null: from the start).</summary>
    public static Task<List<Guid>> NextBatchAsync(this KinderDbContext db, BroadcastRequestedIntegrationEvent broadcast,
        Guid? afterUserId, int batchSize, CancellationToken cancellationToken)
    {
        var after = afterUserId ?? Guid.Empty;
        var city = broadcast.City?.Trim() ?? "";
        var interests = broadcast.InterestIds.ToArray();
        // Interests are the jsonb array preference 'interests' ([3, 17]); any one of the broadcast's matches.
        return db.Database.SqlQuery<Guid>($"""
            SELECT u.id AS "Value" FROM users u
            WHERE u.deleted_at IS NULL AND u.banned_at IS NULL AND u.id > {after}
              AND ({city} = '' OR lower(u.city) = lower({city}))
              AND (cardinality({interests}) = 0 OR EXISTS (
                    SELECT 1 FROM user_preferences p, jsonb_array_elements_text(p.value) interest
                    WHERE p.user_id = u.id AND p.key = 'interests' AND interest.value::int = ANY({interests})))
            ORDER BY u.id
            LIMIT {batchSize}
            """).ToListAsync(cancellationToken);
    }
}
