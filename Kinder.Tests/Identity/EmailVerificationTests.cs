using System.Net;
using System.Net.Http.Json;
using Kinder.Api.Identity;
using Kinder.Core;
using Kinder.Core.Email;
using Kinder.Core.Identity;
using Kinder.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Kinder.Tests.Identity;

/// <summary>Auth: <c>POST /verify-email</c> and <c>POST /resend-verification</c>.</summary>
public sealed class EmailVerificationTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private readonly HttpClient _client = api.CreateClient();

    private Task<HttpResponseMessage> VerifyAsync(string token) =>
        _client.PostAsJsonAsync("/api/v1/auth/verify-email", new { token });

    private Task<HttpResponseMessage> ResendAsync(string? accessToken) =>
        _client.SendAsync(HttpMethod.Post, "/api/v1/auth/resend-verification", accessToken);

    [Fact]
    public async Task Following_the_token_from_the_welcome_email_verifies_the_account()
    {
        var email = Accounts.NewEmail();
        var session = await _client.RegisterAsync(email);
        var token = await Accounts.MailedTokenAsync(api.DatabaseConnectionString, email, EmailTemplates.WelcomeVerify);

        var response = await VerifyAsync(token);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var me = (await (await _client.GetMeAsync(session.AccessToken)).Content.ReadFromJsonAsync<UserResponse>())!;
        Assert.True(me.EmailVerified);
    }

    [Fact]
    public async Task The_next_access_token_after_verification_says_the_email_is_verified()
    {
        var email = Accounts.NewEmail();
        var session = await _client.RegisterAsync(email);
        await VerifyAsync(await Accounts.MailedTokenAsync(api.DatabaseConnectionString, email, EmailTemplates.WelcomeVerify));

        var pair = (await (await _client.PostRefreshAsync(session.RefreshToken)).Content.ReadFromJsonAsync<TokenPairResponse>())!;

        Assert.Equal("false", new JsonWebToken(session.AccessToken).GetClaim(KinderClaims.EmailVerified).Value);
        Assert.Equal("true", new JsonWebToken(pair.AccessToken).GetClaim(KinderClaims.EmailVerified).Value);
    }

    [Fact]
    public async Task A_verification_token_works_once()
    {
        var email = Accounts.NewEmail();
        await _client.RegisterAsync(email);
        var token = await Accounts.MailedTokenAsync(api.DatabaseConnectionString, email, EmailTemplates.WelcomeVerify);
        await VerifyAsync(token);

        var again = await VerifyAsync(token);

        await again.AssertProblemAsync(HttpStatusCode.BadRequest, ErrorCodes.TokenAlreadyUsed);
    }

    [Fact]
    public async Task An_expired_verification_token_is_400_EXPIRED_TOKEN()
    {
        var email = Accounts.NewEmail();
        var session = await _client.RegisterAsync(email);
        var token = await Accounts.MailedTokenAsync(api.DatabaseConnectionString, email, EmailTemplates.WelcomeVerify);
        await using (var db = TestDatabases.CreateContext(api.DatabaseConnectionString))
        {
            await db.AccountTokens.Where(t => t.UserId == session.User.Id)
                .ExecuteUpdateAsync(set => set.SetProperty(t => t.ExpiresAt, DateTimeOffset.UtcNow.AddSeconds(-1)));
        }

        var response = await VerifyAsync(token);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, ErrorCodes.ExpiredToken);
    }

    [Fact]
    public async Task An_unknown_verification_token_is_400_INVALID_TOKEN()
    {
        var response = await VerifyAsync(SecretTokens.NewValue());

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, ErrorCodes.InvalidToken);
    }

    [Fact]
    public async Task A_password_reset_token_does_not_verify_an_email()
    {
        var email = Accounts.NewEmail();
        await _client.RegisterAsync(email);
        await _client.PostAsJsonAsync("/api/v1/auth/forgot-password", new { email });
        var resetToken = await Accounts.MailedTokenAsync(api.DatabaseConnectionString, email, EmailTemplates.PasswordReset);

        var response = await VerifyAsync(resetToken);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, ErrorCodes.InvalidToken);
    }

    [Fact]
    public async Task Verifying_without_a_token_is_400_VALIDATION_FAILED()
    {
        var response = await _client.PostAsJsonAsync("/api/v1/auth/verify-email", new { });

        await response.AssertFieldErrorAsync("token");
    }

    [Fact]
    public async Task Resending_queues_a_fresh_verification_email_whose_token_verifies()
    {
        var email = Accounts.NewEmail();
        var session = await _client.RegisterAsync(email);

        var response = await ResendAsync(session.AccessToken);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var mails = await Accounts.MailsToAsync(api.DatabaseConnectionString, email);
        Assert.Equal([EmailTemplates.WelcomeVerify, EmailTemplates.VerifyEmail], mails.Select(m => m.Template));
        Assert.Equal(HttpStatusCode.NoContent, (await VerifyAsync(await Accounts.MintAsync(api.DatabaseConnectionString, mails[1]))).StatusCode);
    }

    [Fact]
    public async Task Resending_for_a_verified_account_is_409_EMAIL_ALREADY_VERIFIED()
    {
        var email = Accounts.NewEmail();
        var session = await _client.RegisterAsync(email);
        await VerifyAsync(await Accounts.MailedTokenAsync(api.DatabaseConnectionString, email, EmailTemplates.WelcomeVerify));

        var response = await ResendAsync(session.AccessToken);

        await response.AssertProblemAsync(HttpStatusCode.Conflict, ErrorCodes.EmailAlreadyVerified);
    }

    [Fact]
    public async Task Resending_too_often_is_429_RATE_LIMITED()
    {
        var session = await _client.RegisterAsync();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await ResendAsync(session.AccessToken)).StatusCode);
        }

        var response = await ResendAsync(session.AccessToken);

        await response.AssertProblemAsync(HttpStatusCode.TooManyRequests, ErrorCodes.RateLimited);
        Assert.InRange(response.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromMinutes(14), TimeSpan.FromMinutes(15));
    }

    [Fact]
    public async Task Resending_without_an_access_token_is_401_UNAUTHORIZED()
    {
        var response = await ResendAsync(null);

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
    }
}
