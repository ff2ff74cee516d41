using Kinder.Api.Identity;
using Kinder.Core.Identity;
using Microsoft.Extensions.Options;

namespace Kinder.Tests.Infrastructure;

/// <summary>Access tokens signed with the run's key, for hosts that only need to see a signed-in user.</summary>
public static class TestTokens
{
    private static readonly AccessTokenIssuer Issuer = new(
        Options.Create(new JwtOptions { SigningKey = TestServers.JwtSigningKey }), TimeProvider.System);

    public static AccessToken For(User user) => Issuer.Issue(user);

    public static AccessToken ForNewUser(bool emailVerified = true) =>
        For(TestUsers.New(user => user.EmailVerified = emailVerified));

    /// <summary>An operator: a verified user with the admin role (diagnostics probes).</summary>
    public static AccessToken ForNewAdmin() =>
        For(TestUsers.New(user => user.Roles = [KinderRoles.User, KinderRoles.Admin]));
}
