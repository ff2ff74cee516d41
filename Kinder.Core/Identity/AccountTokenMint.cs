using System.Security.Cryptography;
using Kinder.Core.Data;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Core.Identity;

/// <summary>A freshly minted account token: the value to put in the email, and what it is for.</summary>
public sealed record MintedAccountToken(string Value, AccountTokenPurpose Purpose);

/// <summary>
/// Mints the value of an <see cref="AccountToken"/> at send time: 32 random bytes, only their SHA-256 stored. Minting
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
        var value = NewValue();
        var hash = Hash(value);
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

    /// <summary>A token value: 32 random bytes, base64url.</summary>
    public static string NewValue() => WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));

    public static byte[] Hash(string value) => SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(value));
}
