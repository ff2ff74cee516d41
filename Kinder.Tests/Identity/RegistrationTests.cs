using System.Net;
using System.Net.Http.Json;
using Kinder.Api.Identity;
using Kinder.Core;
using Kinder.Core.Email;
using Kinder.Core.Identity;
using Kinder.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Tests.Identity;

/// <summary>Auth: <c>POST /register</c>.</summary>
public sealed class RegistrationTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private readonly HttpClient _client = api.CreateClient();

    [Fact]
    public async Task Registering_creates_an_unverified_account_and_signs_it_in()
    {
        var email = Accounts.NewEmail();

        var response = await _client.PostRegisterAsync(email, displayName: "  Ada Lovelace ");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var session = (await response.Content.ReadFromJsonAsync<AuthSessionResponse>())!;
        Assert.Equal($"/api/v1/users/{session.User.Id}", response.Headers.Location?.OriginalString);
        Assert.Equal(email, session.User.Email);
        Assert.Equal("Ada Lovelace", session.User.DisplayName);
        Assert.False(session.User.EmailVerified);
        Assert.Equal([KinderRoles.User], session.User.Roles);
        Assert.False(string.IsNullOrEmpty(session.AccessToken));
        Assert.False(string.IsNullOrEmpty(session.RefreshToken));
        Assert.InRange(session.ExpiresIn, 890, 900);
        var me = await _client.GetMeAsync(session.AccessToken);
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Equal(session.User.Id, (await me.Content.ReadFromJsonAsync<UserResponse>())!.Id);
    }

    [Fact]
    public async Task The_password_is_stored_as_a_bcrypt_hash_with_the_configured_work_factor()
    {
        var session = await _client.RegisterAsync();

        await using var db = TestDatabases.CreateContext(api.DatabaseConnectionString);
        var hash = await db.Users.Where(u => u.Id == session.User.Id).Select(u => u.PasswordHash).SingleAsync();
        Assert.Matches(@"^\$2[abxy]\$11\$", hash);
        Assert.DoesNotContain(Accounts.Password, hash);
    }

    [Fact]
    public async Task Registering_an_email_that_exists_in_any_capitalisation_is_409_EMAIL_ALREADY_EXISTS()
    {
        var email = Accounts.NewEmail();
        await _client.RegisterAsync(email);

        var response = await _client.PostRegisterAsync(email.ToUpperInvariant());

        await response.AssertProblemAsync(HttpStatusCode.Conflict, ErrorCodes.EmailAlreadyExists);
    }

    [Theory]
    [InlineData("Short1A")]
    [InlineData("alllowercase1")]
    [InlineData("ALLUPPERCASE1")]
    [InlineData("NoDigitsAtAll")]
    public async Task A_password_against_the_policy_is_400_VALIDATION_FAILED_on_the_password_field(string password)
    {
        var response = await _client.PostRegisterAsync(Accounts.NewEmail(), password);

        var body = await response.AssertProblemAsync(HttpStatusCode.BadRequest, ErrorCodes.ValidationFailed);
        var errors = body.GetProperty("errors");
        Assert.Equal("password", Assert.Single(errors.EnumerateObject()).Name);
    }

    [Fact]
    public async Task Every_invalid_field_is_reported_at_once()
    {
        var response = await _client.PostAsJsonAsync("/api/v1/auth/register",
            new { email = "not-an-email", password = "weak", displayName = " " });

        var body = await response.AssertProblemAsync(HttpStatusCode.BadRequest, ErrorCodes.ValidationFailed);
        var errors = body.GetProperty("errors");
        foreach (var field in new[] { "email", "password", "displayName" })
        {
            Assert.True(errors.TryGetProperty(field, out _), $"No error for {field}: {errors}");
        }
    }

    [Fact]
    public async Task Registering_queues_a_welcome_email_naming_a_verification_token_that_is_minted_at_send_time()
    {
        var email = Accounts.NewEmail();
        var session = await _client.RegisterAsync(email);

        var mail = Assert.Single(await Accounts.MailsToAsync(api.DatabaseConnectionString, email));
        Assert.Equal(EmailTemplates.WelcomeVerify, mail.Template);
        Assert.Equal(email, mail.To);
        Assert.Equal(new Dictionary<string, string> { ["displayName"] = "Ada Lovelace" }, mail.Values); // no token, no link
        await using var db = TestDatabases.CreateContext(api.DatabaseConnectionString);
        var stored = await db.AccountTokens.AsNoTracking().SingleAsync(t => t.UserId == session.User.Id);
        Assert.Equal((mail.AccountTokenId, AccountTokenPurpose.EmailVerification), (stored.Id, stored.Purpose));
        Assert.Null(stored.TokenHash); // no value exists until the email is sent
        Assert.InRange(stored.ExpiresAt - stored.CreatedAt, TimeSpan.FromHours(24) - TimeSpan.FromSeconds(1), TimeSpan.FromHours(24));

        var token = await Accounts.MintAsync(api.DatabaseConnectionString, mail);

        Assert.True(Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlDecode(token).Length >= 32);
        stored = await db.AccountTokens.AsNoTracking().SingleAsync(t => t.UserId == session.User.Id);
        Assert.Equal(SessionIssuer.Hash(token), stored.TokenHash);
    }
}
