using System.Net;
using System.Net.Http.Json;
using Kinder.Core.Email;
using Kinder.Core.Identity;
using Kinder.Core.Moderation;
using Kinder.Tests.Events;
using Kinder.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Kinder.Tests.Identity;

/// <summary>
/// Verification and roles are read from the user's current state on every request, not from the token's claims
/// (docs/api/README.md, Auth): a change counts at once with the token the user already holds.
/// </summary>
public sealed class CurrentClaimsTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private readonly HttpClient _client = api.CreateClient();

    [Fact]
    public async Task After_verify_email_the_token_already_held_can_do_verified_only_actions()
    {
        var email = Accounts.NewEmail();
        var session = await _client.RegisterAsync(email);
        await (await _client.SendAsync(HttpMethod.Post, "/api/v1/events", session.AccessToken, EventsDriver.ValidEvent()))
            .AssertProblemAsync(HttpStatusCode.Forbidden, Kinder.Core.ErrorCodes.EmailNotVerified);
        var token = await Accounts.MailedTokenAsync(api.DatabaseConnectionString, email, EmailTemplates.WelcomeVerify);
        Assert.Equal(HttpStatusCode.NoContent,
            (await _client.PostAsJsonAsync("/api/v1/auth/verify-email", new { token })).StatusCode);

        var created = await _client.SendAsync(HttpMethod.Post, "/api/v1/events", session.AccessToken, EventsDriver.ValidEvent());

        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_role_change_decides_an_admin_only_policy_at_once_with_the_same_token()
    {
        var user = await api.CreateUserAsync();
        // Another admin, so taking the role back never removes the last one (RoleChanges refuses that).
        await api.CreateUserAsync(other => other.Roles = [KinderRoles.User, KinderRoles.Admin]);
        var token = TestTokens.For(user).Token; // says role "user"
        var adminOnly = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().RequireRole(KinderRoles.Admin).Build();
        Assert.False(await AuthorizeAsync(token, adminOnly));

        await ChangeRolesAsync(user.Id, [KinderRoles.User, KinderRoles.Admin]);
        Assert.True(await AuthorizeAsync(token, adminOnly));

        await ChangeRolesAsync(user.Id, [KinderRoles.User]);
        Assert.False(await AuthorizeAsync(token, adminOnly));
    }

    private async Task ChangeRolesAsync(Guid userId, IReadOnlyCollection<string> roles)
    {
        await using var scope = api.Services.CreateAsyncScope();
        Assert.Equal(RoleChanges.Outcome.Changed, await scope.ServiceProvider.GetRequiredService<RoleChanges>()
            .SetAsync(userId, roles, actorId: null, AuditActions.RolesChanged, CancellationToken.None));
    }

    /// <summary>The Api's own bearer authentication and authorization service, as a request would run them.</summary>
    private async Task<bool> AuthorizeAsync(string accessToken, AuthorizationPolicy policy)
    {
        await using var scope = api.Services.CreateAsyncScope();
        var http = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        http.Request.Headers.Authorization = $"Bearer {accessToken}";
        var authenticated = await http.AuthenticateAsync(JwtBearerDefaults.AuthenticationScheme);
        Assert.True(authenticated.Succeeded, authenticated.Failure?.Message);
        var result = await scope.ServiceProvider.GetRequiredService<IAuthorizationService>()
            .AuthorizeAsync(authenticated.Principal!, resource: null, policy);
        return result.Succeeded;
    }
}
