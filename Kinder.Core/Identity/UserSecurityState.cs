using System.Security.Claims;
using Kinder.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Kinder.Core.Identity;

/// <summary>
/// What authorization reads about a user instead of trusting the token's claims: whether the email is verified, the
/// roles, and a suspension or ban in force. Read from the database, cached in Redis per user (shared by every Api and Realtime instance), and
/// rewritten by whatever changes it (<see cref="InvalidateAsync"/>), so a verification or a role change counts at
/// once with the access token the user already holds (docs/api/README.md, Auth).
/// </summary>
public sealed class UserSecurityState(KinderDbContext db, IConnectionMultiplexer redis, ILogger<UserSecurityState> logger)
{
    // Only a bound: every change rewrites the entry at once. This caps how long a failed rewrite could leave it stale.
    private static readonly TimeSpan CacheLifetime = TimeSpan.FromMinutes(5);
    private const string Gone = "-";

    public sealed record Facts(bool EmailVerified, IReadOnlyList<string> Roles, DateTimeOffset? SuspendedUntil = null,
        bool Banned = false)
    {
        /// <summary>Banned, or suspended until after <paramref name="now"/>: every token is refused (<c>ACCOUNT_SUSPENDED</c>).</summary>
        public bool IsSuspendedAt(DateTimeOffset now) => Banned || SuspendedUntil > now;
    }

    /// <summary>The Redis key of the user's cached facts, for a caller that reads it with other keys in one round trip.</summary>
    public static RedisKey Key(Guid userId) => $"kinder:user-state:{userId}";

    /// <summary>The user's current facts; null when there is no such (undeleted) user.</summary>
    /// <param name="cached">The value of <see cref="Key"/> when the caller already read it (null: read it here).</param>
    public async Task<Facts?> GetAsync(Guid userId, CancellationToken cancellationToken, RedisValue? cached = null)
    {
        cached ??= await redis.GetDatabase().StringGetAsync(Key(userId));
        if (cached.Value.HasValue)
        {
            return Parse(cached.Value.ToString());
        }
        var facts = await ReadAsync(userId, cancellationToken);
        // Only if no change wrote the entry meanwhile: what this request read may already be out of date.
        await redis.GetDatabase().StringSetAsync(Key(userId), Format(facts), CacheLifetime, When.NotExists);
        return facts;
    }

    /// <summary>Call after committing a change to the user's verification, roles, sanctions or deletion: rewrites the cache.</summary>
    public async Task InvalidateAsync(Guid userId, CancellationToken cancellationToken)
    {
        var facts = await ReadAsync(userId, cancellationToken);
        await redis.GetDatabase().StringSetAsync(Key(userId), Format(facts), CacheLifetime);
        // Realtime instances keep connected users' facts in memory too (UserStateLocalCache): they drop them on this.
        await redis.GetSubscriber().PublishAsync(UserStateLocalCache.ChangedChannel, userId.ToString());
    }

    /// <summary>
    /// Replaces the principal's verification and role claims with the user's current ones (none when the user is
    /// gone). The one place both hosts do it: on every authenticated request, and on every hub invocation. Returns the
    /// facts it applied (null: no such user, or they could not be read), so the caller can refuse a suspended user.
    /// </summary>
    /// <param name="cached">The value of <see cref="Key"/> when the caller already read it (null: read it here).</param>
    public async Task<Facts?> ApplyToAsync(ClaimsPrincipal principal, CancellationToken cancellationToken, RedisValue? cached = null)
    {
        if (principal.Identity is not ClaimsIdentity identity ||
            !Guid.TryParse(principal.FindFirst(KinderClaims.Subject)?.Value, out var userId))
        {
            return null;
        }
        Facts? facts;
        try
        {
            facts = await GetAsync(userId, cancellationToken, cached);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The database (or Redis) is down: keep the token's own claims, at most one token lifetime old, rather than
            // fail every request — /health among them, which an operator reads during exactly such an outage.
            logger.LogWarning(exception, "The current state of user {UserId} could not be read; the token's claims stand", userId);
            return null;
        }
        Apply(identity, facts);
        return facts;
    }

    /// <summary>Replaces the identity's verification and role claims with <paramref name="facts"/>' (none when null: no such user).</summary>
    public static void Apply(ClaimsIdentity identity, Facts? facts)
    {
        foreach (var claim in identity.FindAll(claim => claim.Type is KinderClaims.EmailVerified or KinderClaims.Role).ToList())
        {
            identity.RemoveClaim(claim);
        }
        identity.AddClaim(new Claim(KinderClaims.EmailVerified, facts?.EmailVerified == true ? "true" : "false"));
        foreach (var role in facts?.Roles ?? [])
        {
            identity.AddClaim(new Claim(KinderClaims.Role, role));
        }
    }

    private async Task<Facts?> ReadAsync(Guid userId, CancellationToken cancellationToken)
    {
        var row = await db.Users.AsNoTracking()
            .Where(u => u.Id == userId && u.DeletedAt == null)
            .Select(u => new { u.EmailVerified, u.Roles, u.SuspendedUntil, u.BannedAt })
            .FirstOrDefaultAsync(cancellationToken);
        return row is null ? null : new Facts(row.EmailVerified, row.Roles, row.SuspendedUntil, row.BannedAt is not null);
    }

    // "1|user,admin": verified, then the roles (names from KinderRoles, no commas); then "|B" when banned, or
    // "|<Unix ms>" for the end of a suspension (an ended one is harmless: it is compared with the clock); "-" for no
    // such user. Entries written before sanctions existed have no third part.
    private static string Format(Facts? facts) =>
        facts is null ? Gone
        : $"{(facts.EmailVerified ? '1' : '0')}|{string.Join(',', facts.Roles)}"
          + (facts.Banned ? "|B" : facts.SuspendedUntil is { } until ? $"|{until.ToUnixTimeMilliseconds()}" : "");

    private static Facts? Parse(string value)
    {
        if (value == Gone || value.Length < 2)
        {
            return null;
        }
        var parts = value[2..].Split('|');
        var roles = parts[0].Split(',', StringSplitOptions.RemoveEmptyEntries);
        var sanction = parts.Length > 1 ? parts[1] : "";
        return new Facts(value[0] == '1', roles,
            long.TryParse(sanction, out var until) ? DateTimeOffset.FromUnixTimeMilliseconds(until) : null,
            sanction == "B");
    }
}
