using Kinder.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Core.Identity;

/// <summary>A freshly minted account token: the value to put in the email, and what it is for.</summary>
public sealed record MintedAccountToken(string Value, AccountTokenPurpose Purpose);

/// <summary>
/// Mints the value of an <see cref="AccountToken"/> at send time (<see cref="SecretTokens"/>: only its hash is stored). Minting
/// again replaces the hash, so of the values minted for one token only the newest works: a redelivered email
/// request that is mailed again leaves one working link (the newest mail's), never two.
/// </summary>
public sealed class AccountTokenMint(KinderDbContext db, TimeProvider time)
{
    /// <summary>
    /// A new value for the token, or null when it can no longer be used (used, expired, or gone with its account):
    /// then there is nothing worth mailing.
    /// </summary>
    public async Task<MintedAccountToken?> MintAsync(Guid accountTokenId, CancellationToken cancellationToken)
    {
        var value = SecretTokens.NewValue();
        var hash = SecretTokens.Hash(value);
        var now = time.GetUtcNow();
        var minted = await db.AccountTokens
            .Where(t => t.Id == accountTokenId && t.UsedAt == null && t.ExpiresAt > now)
            .ExecuteUpdateAsync(set => set.SetProperty(t => t.TokenHash, hash), cancellationToken);
        if (minted == 0)
        {
            return null;
        }
        var purpose = await db.AccountTokens.AsNoTracking()
            .Where(t => t.Id == accountTokenId)
            .Select(t => t.Purpose)
            .SingleAsync(cancellationToken);
        return new MintedAccountToken(value, purpose);
    }
}
