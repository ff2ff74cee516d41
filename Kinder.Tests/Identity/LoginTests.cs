using System.Net;
using System.Net.Http.Json;
using Kinder.Core;
using Kinder.Core.Identity;
using Kinder.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Kinder.Tests.Identity;

/// <summary>Auth: <c>POST /login</c>.</summary>
public sealed class LoginTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private readonly HttpClient _client = api.CreateClient();

    [Fact]
    public async Task Signing_in_with_the_right_password_starts_a_session()
    {
        var email = Accounts.NewEmail();
        var registered = await _client.RegisterAsync(email);

        var response = await _client.PostLoginAsync(email.ToUpperInvariant());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var session = (await response.Content.ReadFromJsonAsync<Kinder.Api.Identity.AuthSessionResponse>())!;
        Assert.Equal(registered.User.Id, session.User.Id);
        Assert.NotEqual(registered.RefreshToken, session.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, (await _client.GetMeAsync(session.AccessToken)).StatusCode);
    }

    [Fact]
    public async Task The_access_token_carries_the_users_roles()
    {
        var email = Accounts.NewEmail();
        var registered = await _client.RegisterAsync(email);
        await using (var db = TestDatabases.CreateContext(api.DatabaseConnectionString))
        {
            await db.Users.Where(u => u.Id == registered.User.Id)
                .ExecuteUpdateAsync(set => set.SetProperty(u => u.Roles, new List<string> { KinderRoles.User, KinderRoles.Moderator }));
        }

        var session = await _client.LoginAsync(email);

        var token = new JsonWebToken(session.AccessToken);
        Assert.Equal([KinderRoles.Moderator, KinderRoles.User],
            token.Claims.Where(c => c.Type == KinderClaims.Role).Select(c => c.Value).Order());
        Assert.Equal(registered.User.Id.ToString(), token.Subject);
        Assert.False(string.IsNullOrEmpty(token.Id));
        Assert.Equal([KinderRoles.Moderator, KinderRoles.User], session.User.Roles.Order());
    }

    [Fact]
    public async Task A_wrong_password_is_401_INVALID_CREDENTIALS()
    {
        var email = Accounts.NewEmail();
        await _client.RegisterAsync(email);

        var response = await _client.PostLoginAsync(email, Accounts.OtherPassword);

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, ErrorCodes.InvalidCredentials);
    }

    [Fact]
    public async Task An_unknown_email_gets_the_same_answer_as_a_wrong_password()
    {
        var email = Accounts.NewEmail();
        await _client.RegisterAsync(email);

        var wrongPassword = await (await _client.PostLoginAsync(email, Accounts.OtherPassword))
            .AssertProblemAsync(HttpStatusCode.Unauthorized, ErrorCodes.InvalidCredentials);
        var unknownEmail = await (await _client.PostLoginAsync(Accounts.NewEmail()))
            .AssertProblemAsync(HttpStatusCode.Unauthorized, ErrorCodes.InvalidCredentials);

        Assert.Equal(wrongPassword.GetProperty("title").ToString(), unknownEmail.GetProperty("title").ToString());
        Assert.Equal(wrongPassword.GetProperty("detail").ToString(), unknownEmail.GetProperty("detail").ToString());
    }

    [Fact]
    public async Task A_deleted_account_cannot_sign_in()
    {
        var email = Accounts.NewEmail();
        var registered = await _client.RegisterAsync(email);
        await using (var db = TestDatabases.CreateContext(api.DatabaseConnectionString))
        {
            await db.Users.Where(u => u.Id == registered.User.Id)
                .ExecuteUpdateAsync(set => set.SetProperty(u => u.DeletedAt, DateTimeOffset.UtcNow));
        }

        var response = await _client.PostLoginAsync(email);

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, ErrorCodes.InvalidCredentials);
    }

    [Fact]
    public async Task Missing_fields_are_400_VALIDATION_FAILED()
    {
        var response = await _client.PostAsJsonAsync("/api/v1/auth/login", new { email = "" });

        await response.AssertFieldErrorAsync("password");
    }
}
