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

    /// <summary>
    /// A token that says admin for a user the database does not have: counts only where the current state cannot be
    /// read (the database unreachable), since roles are otherwise read from the database.
    /// </summary>
    public static AccessToken ForNewAdmin() =>
        For(TestUsers.New(user => user.Roles = [KinderRoles.User, KinderRoles.Admin]));

    /// <summary>An operator: a verified user with the admin role, stored (diagnostics probes, health detail).</summary>
    public static async Task<AccessToken> ForNewAdminAsync(string connectionString) =>
        For(await TestUsers.CreateAsync(connectionString, user => user.Roles = [KinderRoles.User, KinderRoles.Admin]));
}
