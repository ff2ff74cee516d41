using Kinder.Core.Data;
using Kinder.Core.Identity;
using Kinder.Core.Storage;
using Microsoft.Extensions.Options;

namespace Kinder.Api.Identity;

/// <summary>
/// Starts a session for a user who just proved who they are (password, Google, verification link): a new refresh-token
/// family with its first token, and an access token. Every sign-in path ends here.
/// </summary>
public sealed class SessionIssuer(KinderDbContext db, AccessTokenIssuer accessTokens, IOptions<JwtOptions> jwt,
    IOptions<StorageOptions> storage, TimeProvider time)
{
    public async Task<AuthSessionResponse> StartAsync(User user, CancellationToken cancellationToken)
    {
        var (refreshToken, value) = NewRefreshToken(user.Id, familyId: Guid.CreateVersion7());
        db.RefreshTokens.Add(refreshToken);
        await db.SaveChangesAsync(cancellationToken);

        var access = accessTokens.Issue(user);
        return new AuthSessionResponse(UserResponse.From(user, storage.Value), access.Token, value,
            access.ExpiresInSeconds(time.GetUtcNow()));
    }

    /// <summary>A new refresh token in a family (unsaved) and the value handed to the client, which we never store.</summary>
    public (RefreshToken Token, string Value) NewRefreshToken(Guid userId, Guid familyId)
    {
        var value = SecretTokens.NewValue();
        var token = new RefreshToken
        {
            UserId = userId,
            FamilyId = familyId,
            TokenHash = Hash(value),
            ExpiresAt = time.GetUtcNow() + jwt.Value.RefreshTokenLifetime,
        };
        return (token, value);
    }

    public static byte[] Hash(string value) => SecretTokens.Hash(value);
}
