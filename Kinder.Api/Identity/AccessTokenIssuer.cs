using System.Security.Claims;
using Kinder.Core.Identity;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Kinder.Api.Identity;

public sealed record AccessToken(string Token, string TokenId, DateTimeOffset ExpiresAt)
{
    public int ExpiresInSeconds(DateTimeOffset now) => (int)Math.Max(0, (ExpiresAt - now).TotalSeconds);
}

/// <summary>Signs short-lived access tokens (15 minutes, docs/api/README.md) with sub, jti, roles and the verification state.</summary>
public sealed class AccessTokenIssuer(IOptions<JwtOptions> options, TimeProvider time)
{
    private readonly JsonWebTokenHandler _handler = new();

    public AccessToken Issue(User user)
    {
        var jwt = options.Value;
        var now = time.GetUtcNow();
        var tokenId = Guid.NewGuid().ToString("N");
        var claims = new List<Claim>
        {
            new(KinderClaims.Subject, user.Id.ToString()),
            new(KinderClaims.TokenId, tokenId),
            new(KinderClaims.Email, user.Email),
            new(KinderClaims.Name, user.DisplayName),
            new(KinderClaims.EmailVerified, user.EmailVerified ? "true" : "false"),
            new(KinderClaims.IssuedAtMilliseconds,
                now.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture), ClaimValueTypes.Integer64),
        };
        claims.AddRange(user.Roles.Select(role => new Claim(KinderClaims.Role, role)));

        var expiresAt = now + jwt.AccessTokenLifetime;
        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = jwt.Issuer,
            Audience = jwt.Audience,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expiresAt.UtcDateTime,
            SigningCredentials = new SigningCredentials(jwt.SecurityKey(), SecurityAlgorithms.HmacSha256),
        });
        return new AccessToken(token, tokenId, expiresAt);
    }
}
