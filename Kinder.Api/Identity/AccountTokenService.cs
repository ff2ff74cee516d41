using Kinder.Core.Data;
using Kinder.Core.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kinder.Api.Identity;

public enum AccountTokenCheck
{
    Valid,
    Unknown,
    Expired,
    AlreadyUsed,
}

/// <summary>The emailed single-use tokens: 32 random bytes minted by Workers at send time, only their SHA-256 kept.</summary>
public sealed class AccountTokenService(KinderDbContext db, IOptions<AuthOptions> options, TimeProvider time)
{
    /// <summary>
    /// Adds a new token for the user to the unit of work (unsaved) and returns its id for the email request. It has
    /// no value yet: Workers mint one when they send the email (<see cref="AccountTokenMint"/>).
    /// </summary>
    public Guid Issue(Guid userId, AccountTokenPurpose purpose)
    {
        var lifetime = purpose == AccountTokenPurpose.PasswordReset
            ? options.Value.PasswordResetTokenLifetime
            : options.Value.EmailVerificationTokenLifetime;
        var now = time.GetUtcNow();
        var token = new AccountToken
        {
            UserId = userId,
            Purpose = purpose,
            CreatedAt = now,
            ExpiresAt = now + lifetime,
        };
        db.AccountTokens.Add(token);
        return token.Id;
    }

    /// <summary>
    /// Marks the token used if it is valid, returning its user. Single use is enforced by the database: of two
    /// concurrent calls, only the one whose conditional update matched the row gets <see cref="AccountTokenCheck.Valid"/>.
    /// Call inside the transaction that applies what the token allows.
    /// </summary>
    public async Task<(AccountTokenCheck Check, Guid UserId)> ConsumeAsync(string value, AccountTokenPurpose purpose,
        CancellationToken cancellationToken)
    {
        var hash = SecretTokens.Hash(value);
        var token = await db.AccountTokens.AsNoTracking()
            .FirstOrDefaultAsync(t => t.TokenHash == hash && t.Purpose == purpose, cancellationToken);
        var now = time.GetUtcNow();
        if (token is null)
        {
            return (AccountTokenCheck.Unknown, Guid.Empty);
        }
        if (token.UsedAt is not null)
        {
            return (AccountTokenCheck.AlreadyUsed, token.UserId);
        }
        if (token.ExpiresAt <= now)
        {
            return (AccountTokenCheck.Expired, token.UserId);
        }
        var marked = await db.AccountTokens
            .Where(t => t.Id == token.Id && t.UsedAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(t => t.UsedAt, now), cancellationToken);
        return (marked == 1 ? AccountTokenCheck.Valid : AccountTokenCheck.AlreadyUsed, token.UserId);
    }

    /// <summary>Retires the user's other outstanding tokens of a purpose (a reset makes older reset links worthless).</summary>
    public Task<int> RetireOutstandingAsync(Guid userId, AccountTokenPurpose purpose, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return db.AccountTokens
            .Where(t => t.UserId == userId && t.Purpose == purpose && t.UsedAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(t => t.UsedAt, now), cancellationToken);
    }
}
