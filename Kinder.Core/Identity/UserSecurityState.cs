using System.Security.Claims;
using Kinder.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Kinder.Core.Identity;

/// <summary>
/// What authorization reads about a user instead of trusting the token's claims: whether the email is verified and
/// the roles. Read from the database, cached in Redis per user (shared by every Api and Realtime instance), and
/// rewritten by whatever changes it (<see cref="InvalidateAsync"/>), so a verification or a role change counts at
/// once with the access token the user already holds (docs/api/README.md, Auth).
/// </summary>
public sealed class UserSecurityState(KinderDbContext db, IConnectionMultiplexer redis, ILogger<UserSecurityState> logger)
{
    // Only a bound: every change rewrites the entry at once. This caps how long a failed rewrite could leave it stale.
    private static readonly TimeSpan CacheLifetime = TimeSpan.FromMinutes(5);
    private const string Gone = "-";

    public sealed record Facts(bool EmailVerified, IReadOnlyList<string> Roles);

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

    /// <summary>Call after committing a change to the user's verification, roles or deletion: rewrites the cache.</summary>
    public async Task InvalidateAsync(Guid userId, CancellationToken cancellationToken)
    {
        var facts = await ReadAsync(userId, cancellationToken);
        await redis.GetDatabase().StringSetAsync(Key(userId), Format(facts), CacheLifetime);
    }

    /// <summary>Sets the user's roles (what an admin endpoint calls); counts at once for every token they hold.</summary>
    public async Task ChangeRolesAsync(Guid userId, IReadOnlyCollection<string> roles, CancellationToken cancellationToken)
    {
        if (roles.Any(role => role is not (KinderRoles.User or KinderRoles.Moderator or KinderRoles.Admin)))
        {
            throw new ArgumentException("Unknown role.", nameof(roles));
        }
        var user = await db.Users.FirstAsync(u => u.Id == userId, cancellationToken);
        user.Roles = [.. roles.Distinct(StringComparer.Ordinal)];
        user.UpdatedAt = DateTimeOffset.UtcNow;
        await db.SaveChangesAsync(cancellationToken);
        await InvalidateAsync(userId, cancellationToken);
    }

    /// <summary>
    /// Replaces the principal's verification and role claims with the user's current ones (none when the user is
    /// gone). The one place both hosts do it: on every authenticated request, and on every hub invocation.
    /// </summary>
    /// <param name="cached">The value of <see cref="Key"/> when the caller already read it (null: read it here).</param>
    public async Task ApplyToAsync(ClaimsPrincipal principal, CancellationToken cancellationToken, RedisValue? cached = null)
    {
        if (principal.Identity is not ClaimsIdentity identity ||
            !Guid.TryParse(principal.FindFirst(KinderClaims.Subject)?.Value, out var userId))
        {
            return;
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
            return;
        }
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
            .Select(u => new { u.EmailVerified, u.Roles })
            .FirstOrDefaultAsync(cancellationToken);
        return row is null ? null : new Facts(row.EmailVerified, row.Roles);
    }

    // "1|user,admin": verified, then the roles (names from KinderRoles, no commas); "-" for no such user.
    private static string Format(Facts? facts) =>
        facts is null ? Gone : $"{(facts.EmailVerified ? '1' : '0')}|{string.Join(',', facts.Roles)}";

    private static Facts? Parse(string value)
    {
        if (value == Gone || value.Length < 2)
        {
            return null;
        }
        var roles = value[2..].Split(',', StringSplitOptions.RemoveEmptyEntries);
        return new Facts(value[0] == '1', roles);
    }
}
