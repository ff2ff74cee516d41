using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Kinder.Api.Identity;
using Kinder.Core;
using Kinder.Core.Email;
using Kinder.Core.Identity;
using Kinder.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Tests.Identity;

/// <summary>Auth: <c>POST /forgot-password</c> and <c>POST /reset-password</c>.</summary>
public sealed class PasswordResetTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static readonly TimeSpan MinimumDuration = TimeSpan.FromMilliseconds(500);
    private readonly HttpClient _client = api.CreateClient();

    private Task<HttpResponseMessage> ForgotAsync(string email) =>
        _client.PostAsJsonAsync("/api/v1/auth/forgot-password", new { email });

    private Task<HttpResponseMessage> ResetAsync(string token, string newPassword = Accounts.OtherPassword) =>
        _client.PostAsJsonAsync("/api/v1/auth/reset-password", new { token, newPassword });

    private async Task<string> ResetTokenForAsync(string email)
    {
        Assert.Equal(HttpStatusCode.Accepted, (await ForgotAsync(email)).StatusCode);
        return await Accounts.MailedTokenAsync(api.DatabaseConnectionString, email, EmailTemplates.PasswordReset);
    }

    [Fact]
    public async Task Forgot_password_queues_a_reset_link_for_a_known_email()
    {
        var email = Accounts.NewEmail();
        await _client.RegisterAsync(email);

        var response = await ForgotAsync(email.ToUpperInvariant());

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var mail = (await Accounts.MailsToAsync(api.DatabaseConnectionString, email)).Last();
        Assert.Equal(EmailTemplates.PasswordReset, mail.Template);
        Assert.NotNull(mail.AccountTokenId);
        Assert.DoesNotContain("token", mail.Values.Keys); // minted by Workers when they send
        Assert.DoesNotContain("resetUrl", mail.Values.Keys);
    }

    [Fact]
    public async Task Forgot_password_answers_the_same_for_known_and_unknown_emails_and_no_sooner_than_the_minimum()
    {
        var known = Accounts.NewEmail();
        var unknown = Accounts.NewEmail();
        await _client.RegisterAsync(known);

        var (knownResponse, knownTime) = await TimedAsync(() => ForgotAsync(known));
        var (unknownResponse, unknownTime) = await TimedAsync(() => ForgotAsync(unknown));

        Assert.Equal(HttpStatusCode.Accepted, knownResponse.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, unknownResponse.StatusCode);
        Assert.Equal(await knownResponse.Content.ReadAsStringAsync(), await unknownResponse.Content.ReadAsStringAsync());
        Assert.Equal(Names(knownResponse), Names(unknownResponse));
        Assert.True(knownTime >= MinimumDuration, $"known email answered in {knownTime}");
        Assert.True(unknownTime >= MinimumDuration, $"unknown email answered in {unknownTime}");
        Assert.Empty(await Accounts.MailsToAsync(api.DatabaseConnectionString, unknown));
    }

    [Fact]
    public async Task Forgot_password_with_an_invalid_email_is_400_VALIDATION_FAILED()
    {
        var response = await ForgotAsync("nobody");

        await response.AssertFieldErrorAsync("email");
    }

    [Fact]
    public async Task Resetting_sets_the_new_password_and_retires_the_old_one()
    {
        var email = Accounts.NewEmail();
        await _client.RegisterAsync(email);

        var response = await ResetAsync(await ResetTokenForAsync(email));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _client.PostLoginAsync(email, Accounts.OtherPassword)).StatusCode);
        await (await _client.PostLoginAsync(email)).AssertProblemAsync(HttpStatusCode.Unauthorized, ErrorCodes.InvalidCredentials);
    }

    [Fact]
    public async Task Resetting_revokes_every_refresh_token_of_the_user()
    {
        var email = Accounts.NewEmail();
        var first = await _client.RegisterAsync(email);
        var second = await _client.LoginAsync(email);

        await ResetAsync(await ResetTokenForAsync(email));

        await (await _client.PostRefreshAsync(first.RefreshToken)).AssertProblemAsync(HttpStatusCode.Unauthorized, ErrorCodes.TokenRevoked);
        await (await _client.PostRefreshAsync(second.RefreshToken)).AssertProblemAsync(HttpStatusCode.Unauthorized, ErrorCodes.TokenRevoked);
    }

    [Fact]
    public async Task Resetting_queues_a_password_changed_email()
    {
        var email = Accounts.NewEmail();
        await _client.RegisterAsync(email);

        await ResetAsync(await ResetTokenForAsync(email));

        var mail = (await Accounts.MailsToAsync(api.DatabaseConnectionString, email)).Last();
        Assert.Equal(EmailTemplates.PasswordChanged, mail.Template);
        Assert.Equal("Ada Lovelace", mail.Values["displayName"]);
    }

    [Fact]
    public async Task A_reset_token_works_once()
    {
        var email = Accounts.NewEmail();
        await _client.RegisterAsync(email);
        var token = await ResetTokenForAsync(email);
        await ResetAsync(token);

        var again = await ResetAsync(token, "Another-Pass-3");

        await again.AssertProblemAsync(HttpStatusCode.BadRequest, ErrorCodes.TokenAlreadyUsed);
    }

    [Fact]
    public async Task Two_concurrent_resets_with_one_token_do_not_both_succeed()
    {
        var email = Accounts.NewEmail();
        await _client.RegisterAsync(email);
        var token = await ResetTokenForAsync(email);

        var responses = await Task.WhenAll(ResetAsync(token, "First-Pass-1"), ResetAsync(token, "Second-Pass-2"));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.NoContent));
        await responses.Single(r => r.StatusCode != HttpStatusCode.NoContent)
            .AssertProblemAsync(HttpStatusCode.BadRequest, ErrorCodes.TokenAlreadyUsed);
    }

    [Fact]
    public async Task A_reset_makes_older_reset_links_worthless()
    {
        var email = Accounts.NewEmail();
        await _client.RegisterAsync(email);
        var older = await ResetTokenForAsync(email);
        var newer = await ResetTokenForAsync(email);
        await ResetAsync(newer);

        var response = await ResetAsync(older, "Another-Pass-3");

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, ErrorCodes.TokenAlreadyUsed);
    }

    [Fact]
    public async Task An_expired_reset_token_is_400_EXPIRED_TOKEN_and_reset_links_live_an_hour()
    {
        var email = Accounts.NewEmail();
        var session = await _client.RegisterAsync(email);
        var token = await ResetTokenForAsync(email);
        await using (var db = TestDatabases.CreateContext(api.DatabaseConnectionString))
        {
            var stored = await db.AccountTokens.SingleAsync(t => t.TokenHash == SessionIssuer.Hash(token));
            Assert.InRange(stored.ExpiresAt - stored.CreatedAt, TimeSpan.FromMinutes(59), TimeSpan.FromHours(1));
            await db.AccountTokens.Where(t => t.UserId == session.User.Id)
                .ExecuteUpdateAsync(set => set.SetProperty(t => t.ExpiresAt, DateTimeOffset.UtcNow.AddSeconds(-1)));
        }

        var response = await ResetAsync(token);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, ErrorCodes.ExpiredToken);
    }

    [Fact]
    public async Task An_unknown_or_verification_token_is_400_INVALID_TOKEN()
    {
        var email = Accounts.NewEmail();
        await _client.RegisterAsync(email);
        var verificationToken = await Accounts.MailedTokenAsync(api.DatabaseConnectionString, email, EmailTemplates.WelcomeVerify);

        await (await ResetAsync(SecretTokens.NewValue())).AssertProblemAsync(HttpStatusCode.BadRequest, ErrorCodes.InvalidToken);
        await (await ResetAsync(verificationToken)).AssertProblemAsync(HttpStatusCode.BadRequest, ErrorCodes.InvalidToken);
    }

    [Fact]
    public async Task A_new_password_against_the_policy_is_400_VALIDATION_FAILED_on_newPassword()
    {
        var email = Accounts.NewEmail();
        await _client.RegisterAsync(email);
        var token = await ResetTokenForAsync(email);

        var response = await ResetAsync(token, "weakpass");

        await response.AssertFieldErrorAsync("newPassword");
        Assert.Equal(HttpStatusCode.NoContent, (await ResetAsync(token)).StatusCode); // the token was not spent
    }

    private static async Task<(HttpResponseMessage Response, TimeSpan Elapsed)> TimedAsync(Func<Task<HttpResponseMessage>> send)
    {
        var started = Stopwatch.GetTimestamp();
        var response = await send();
        return (response, Stopwatch.GetElapsedTime(started));
    }

    private static string Names(HttpResponseMessage response) =>
        string.Join(",", response.Headers.Concat(response.Content.Headers).Select(h => h.Key).Where(k => k != "Date").Order());
}
