using System.Security.Claims;
using Kinder.Core.Identity;

namespace Kinder.Tests.Identity;

/// <summary>
/// A hub connection keeps its principal as long as its WebSocket lives: only the claims it reads
/// (<see cref="KinderClaims.ForHubConnection"/>), still authenticated, with the same name and role claim types.
/// </summary>
public sealed class HubConnectionPrincipalTests
{
    [Fact]
    public void A_hub_connection_keeps_who_when_issued_verification_and_roles_and_drops_the_rest()
    {
        var userId = Guid.NewGuid();
        var validated = new ClaimsPrincipal(new ClaimsIdentity(
        [
            new Claim(KinderClaims.Subject, userId.ToString()),
            new Claim(KinderClaims.TokenId, Guid.NewGuid().ToString()),
            new Claim(KinderClaims.Email, "ada@example.com"),
            new Claim(KinderClaims.Name, "Ada"),
            new Claim(KinderClaims.EmailVerified, "true"),
            new Claim(KinderClaims.Role, KinderRoles.Moderator),
            new Claim(KinderClaims.Role, KinderRoles.Admin),
            new Claim(KinderClaims.IssuedAtMilliseconds, "1764806400123"),
            new Claim(KinderClaims.IssuedAt, "1764806400"),
            new Claim("nbf", "1764806400"),
            new Claim("exp", "1764807300"),
            new Claim("iss", "kinder"),
            new Claim("aud", "kinder-clients"),
        ], "AuthenticationTypes.Federation", KinderClaims.Name, KinderClaims.Role));

        var kept = KinderClaims.ForHubConnection(validated);

        Assert.Equal(
            [KinderClaims.Subject, KinderClaims.EmailVerified, KinderClaims.Role, KinderClaims.Role, KinderClaims.IssuedAtMilliseconds, KinderClaims.IssuedAt],
            kept.Claims.Select(claim => claim.Type));
        Assert.True(kept.Identity!.IsAuthenticated);
        Assert.Equal(userId, kept.GetUserId());
        Assert.True(kept.IsEmailVerified());
        Assert.True(kept.IsInRole(KinderRoles.Admin) && kept.IsInRole(KinderRoles.Moderator));
        Assert.Equal(1764806400123, AccessTokenBlacklist.IssuedAtMillisecondsOf(kept));
        var identity = Assert.IsType<ClaimsIdentity>(kept.Identity);
        Assert.Equal(KinderClaims.Name, identity.NameClaimType);
        Assert.Equal(KinderClaims.Role, identity.RoleClaimType);
        Assert.NotSame(validated.Identity, identity);
    }
}
