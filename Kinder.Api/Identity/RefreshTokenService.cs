using Kinder.Core.Data;
using Kinder.Core.Identity;
using Kinder.Core.Moderation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kinder.Api.Identity;

public enum RefreshOutcome
{
    Rotated,
    Unknown,
    Expired,
    Revoked,
}

public static class RevocationReasons
{
    public const string Rotated = "rotated";
    public const string Reused = "reused";
    public const string Logout = "logout";
    public const string PasswordReset = "password_reset";
    public const string AccountClosed = "account_closed";
    public const string Suspended = "suspended";
}

/// <summary>
/// Refresh-token rotation. Every use retires the token and issues its successor in the same family; a token that was
/// already retired coming back means it leaked (or a client raced itself), so the whole family dies.
/// </summary>
public sealed class RefreshTokenService(KinderDbContext db, SessionIssuer sessions, AccessTokenIssuer accessTokens,
    AccessTokenBlacklist blacklist, IOptions<JwtOptions> jwt, TimeProvider time, AuditTrail audit)
{
    public async Task<(RefreshOutcome Outcome, TokenPairResponse? Tokens)> RotateAsync(string value,
        CancellationToken cancellationToken)
    {
        var hash = SessionIssuer.Hash(value);
        var current = await db.RefreshTokens.AsNoTracking().FirstOrDefaultAsync(t => t.TokenHash == hash, cancellationToken);
        if (current is null)
        {
            return (RefreshOutcome.Unknown, null);
        }
        if (current.RevokedAt is not null)
        {
            await RevokeReusedFamilyAsync(current, cancellationToken);
            return (RefreshOutcome.Revoked, null);
        }
        if (current.ExpiresAt <= time.GetUtcNow())
        {
            return (RefreshOutcome.Expired, null);
        }
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == current.UserId, cancellationToken);
        if (user is null || user.DeletedAt is not null)
        {
            await RevokeFamilyAsync(current.FamilyId, RevocationReasons.AccountClosed, cancellationToken);
            return (RefreshOutcome.Revoked, null);
        }

        var (successor, successorValue) = sessions.NewRefreshToken(user.Id, current.FamilyId);
        var rotated = await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            // The database decides which of two concurrent refreshes wins: the second waits on the row lock, then
            // finds revoked_at set and matches nothing.
            var retired = await db.RefreshTokens
                .Where(t => t.Id == current.Id && t.RevokedAt == null)
                .ExecuteUpdateAsync(set => set
                    .SetProperty(t => t.RevokedAt, time.GetUtcNow())
                    .SetProperty(t => t.RevokedReason, RevocationReasons.Rotated)
                    .SetProperty(t => t.ReplacedById, successor.Id), cancellationToken);
            if (retired != 1)
            {
                return false;
            }
            db.RefreshTokens.Add(successor);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return true;
        });
        if (!rotated)
        {
            db.ChangeTracker.Clear();
            await RevokeReusedFamilyAsync(current, cancellationToken);
            return (RefreshOutcome.Revoked, null);
        }

        var access = accessTokens.Issue(user);
        return (RefreshOutcome.Rotated, new TokenPairResponse(access.Token, successorValue, access.ExpiresInSeconds(time.GetUtcNow())));
    }

    /// <summary>
    /// A reuse: the family dies, and, when it was still alive, so does every access token of the user (the per-user
    /// cut-off; whoever holds the leaked token may hold its access tokens too). A dead family replayed again changes
    /// nothing, so replays cannot keep signing the user out.
    /// </summary>
    private async Task RevokeReusedFamilyAsync(RefreshToken token, CancellationToken cancellationToken)
    {
        if (await RevokeFamilyAsync(token.FamilyId, RevocationReasons.Reused, cancellationToken) > 0)
        {
            await blacklist.RevokeAllAsync(token.UserId, jwt.Value.AccessTokenLifetime);
            audit.Record(AuditActions.RefreshTokenReused, token.UserId, AuditTargets.User, token.UserId,
                new { familyId = token.FamilyId });
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    /// <summary>The family of a token the user holds (logout); a token of someone else's is left alone.</summary>
    public async Task RevokeFamilyOfAsync(string value, Guid userId, string reason, CancellationToken cancellationToken)
    {
        var hash = SessionIssuer.Hash(value);
        var familyId = await db.RefreshTokens
            .Where(t => t.TokenHash == hash && t.UserId == userId)
            .Select(t => (Guid?)t.FamilyId)
            .FirstOrDefaultAsync(cancellationToken);
        if (familyId is { } family)
        {
            await RevokeFamilyAsync(family, reason, cancellationToken);
        }
    }

    public Task<int> RevokeFamilyAsync(Guid familyId, string reason, CancellationToken cancellationToken) =>
        Revoke(db.RefreshTokens.Where(t => t.FamilyId == familyId), reason, cancellationToken);

    public Task<int> RevokeAllAsync(Guid userId, string reason, CancellationToken cancellationToken) =>
        Revoke(db.RefreshTokens.Where(t => t.UserId == userId), reason, cancellationToken);

    private Task<int> Revoke(IQueryable<RefreshToken> tokens, string reason, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return tokens.Where(t => t.RevokedAt == null).ExecuteUpdateAsync(set => set
            .SetProperty(t => t.RevokedAt, now)
            .SetProperty(t => t.RevokedReason, reason), cancellationToken);
    }
}
