using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kinder.Core;
using Kinder.Core.Moderation;
using Kinder.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Tests.Identity.Google;

/// <summary>Auth: <c>POST /auth/google/token</c>, the native apps' sign-in with an ID token from Google's SDK.</summary>
public sealed class GoogleIdTokenSignInTests(GoogleApiFactory api) : IClassFixture<GoogleApiFactory>
{
    private readonly GoogleSignInDriver _driver = new(api);

    private Task<HttpResponseMessage> PostAsync(string idToken) =>
        _driver.Client.PostAsJsonAsync("/api/v1/auth/google/token", new { idToken });

    [Fact]
    public async Task A_valid_id_token_creates_the_user_and_answers_a_session()
    {
        var google = FakeGoogleUser.New();

        var response = await PostAsync(api.Google.CreateIdToken(google));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var session = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(session.GetProperty("user").GetProperty("emailVerified").GetBoolean());
        Assert.False(string.IsNullOrEmpty(session.GetProperty("accessToken").GetString()));
        Assert.False(string.IsNullOrEmpty(session.GetProperty("refreshToken").GetString()));
        Assert.Equal(google.Subject, Assert.Single(await _driver.UsersWithEmailAsync(google.Email)).GoogleSubject);
    }

    [Fact]
    public async Task The_id_token_and_the_browser_flow_sign_in_to_the_same_user()
    {
        var google = FakeGoogleUser.New();
        var browser = await _driver.SignInAndReadSessionAsync(google);

        var native = await (await PostAsync(api.Google.CreateIdToken(google))).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(browser.GetProperty("user").GetProperty("id").GetGuid(), native.GetProperty("user").GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task An_existing_password_user_with_the_same_email_is_linked()
    {
        var email = $"native-linked-{Guid.NewGuid():N}@example.test";
        var existing = await _driver.SeedUserAsync(email, emailVerified: true);

        var response = await PostAsync(api.Google.CreateIdToken(FakeGoogleUser.New(email)));

        var session = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(existing.Id, session.GetProperty("user").GetProperty("id").GetGuid());
        Assert.NotNull(Assert.Single(await _driver.UsersWithEmailAsync(email)).GoogleSubject);
    }

    [Fact]
    public async Task Either_spelling_of_googles_issuer_is_accepted()
    {
        var response = await PostAsync(api.Google.CreateIdToken(FakeGoogleUser.New(),
            new FakeIdTokenOptions { Issuer = "accounts.google.com" }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_forged_id_token_signed_by_a_key_not_in_the_jwks_is_refused()
    {
        var google = FakeGoogleUser.New();

        var response = await PostAsync(api.Google.CreateIdToken(google, new FakeIdTokenOptions { SignWithForeignKey = true }));

        var body = await response.AssertProblemAsync(HttpStatusCode.Unauthorized, ErrorCodes.InvalidIdToken);
        Assert.Contains("signature", body.GetProperty("detail").GetString());
        Assert.Empty(await _driver.UsersWithEmailAsync(google.Email));
    }

    [Fact]
    public async Task An_unsigned_id_token_is_refused()
    {
        var response = await PostAsync(api.Google.CreateIdToken(FakeGoogleUser.New(), new FakeIdTokenOptions { Unsigned = true }));

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, ErrorCodes.InvalidIdToken);
    }

    [Fact]
    public async Task An_id_token_whose_payload_was_altered_is_refused()
    {
        var parts = api.Google.CreateIdToken(FakeGoogleUser.New()).Split('.');
        var otherPayload = api.Google.CreateIdToken(FakeGoogleUser.New("victim@example.test")).Split('.')[1];

        var response = await PostAsync($"{parts[0]}.{otherPayload}.{parts[2]}");

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, ErrorCodes.InvalidIdToken);
    }

    [Fact]
    public async Task An_id_token_for_another_client_is_refused()
    {
        var response = await PostAsync(api.Google.CreateIdToken(FakeGoogleUser.New(),
            new FakeIdTokenOptions { Audience = "someone-else.apps.googleusercontent.com" }));

        var body = await response.AssertProblemAsync(HttpStatusCode.Unauthorized, ErrorCodes.InvalidIdToken);
        Assert.Contains("another client", body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task An_id_token_from_another_issuer_is_refused()
    {
        var response = await PostAsync(api.Google.CreateIdToken(FakeGoogleUser.New(),
            new FakeIdTokenOptions { Issuer = "https://accounts.evil.example" }));

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, ErrorCodes.InvalidIdToken);
    }

    [Fact]
    public async Task An_expired_id_token_is_refused()
    {
        var response = await PostAsync(api.Google.CreateIdToken(FakeGoogleUser.New(),
            new FakeIdTokenOptions { IssuedAt = DateTimeOffset.UtcNow.AddHours(-2) }));

        var body = await response.AssertProblemAsync(HttpStatusCode.Unauthorized, ErrorCodes.InvalidIdToken);
        Assert.Contains("expired", body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task An_id_token_without_a_verified_email_is_refused()
    {
        var google = FakeGoogleUser.New() with { EmailVerified = false };

        var response = await PostAsync(api.Google.CreateIdToken(google));

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, ErrorCodes.GoogleEmailNotVerified);
        Assert.Empty(await _driver.UsersWithEmailAsync(google.Email));
    }

    [Fact]
    public async Task Something_that_is_not_a_jwt_is_refused()
    {
        var response = await PostAsync("not-a-token");

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, ErrorCodes.InvalidIdToken);
    }

    [Fact]
    public async Task A_missing_id_token_is_a_validation_problem()
    {
        var response = await _driver.Client.PostAsJsonAsync("/api/v1/auth/google/token", new { });

        await response.AssertFieldErrorAsync("idToken");
    }

    [Fact]
    public async Task The_keys_are_cached_between_sign_ins()
    {
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(api.Google.CreateIdToken(FakeGoogleUser.New()))).StatusCode);
        var fetches = api.Google.KeySetRequests;

        Assert.Equal(HttpStatusCode.OK, (await PostAsync(api.Google.CreateIdToken(FakeGoogleUser.New()))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(api.Google.CreateIdToken(FakeGoogleUser.New()))).StatusCode);

        Assert.Equal(fetches, api.Google.KeySetRequests);
    }

    [Fact]
    public async Task Google_sign_ins_are_audited_and_a_suspended_user_is_refused_with_the_end_date()
    {
        var google = FakeGoogleUser.New();
        var first = await (await PostAsync(api.Google.CreateIdToken(google))).Content.ReadFromJsonAsync<JsonElement>();
        var userId = first.GetProperty("user").GetProperty("id").GetGuid();
        var until = DateTimeOffset.UtcNow.AddDays(2);
        await using (var db = _driver.Database())
        {
            await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(set => set.SetProperty(u => u.SuspendedUntil, until));
        }

        var refused = await PostAsync(api.Google.CreateIdToken(google));
        var failed = await PostAsync("not-a-token");

        var problem = await refused.AssertProblemAsync(HttpStatusCode.Unauthorized, ErrorCodes.AccountSuspended);
        Assert.Equal(until.ToUnixTimeSeconds(), problem.GetProperty("until").GetDateTimeOffset().ToUnixTimeSeconds());
        Assert.Equal(HttpStatusCode.Unauthorized, failed.StatusCode);
        await using var check = _driver.Database();
        Assert.Equal(1, await check.AuditLogs.CountAsync(log => log.Action == AuditActions.SignIn && log.ActorId == userId));
        Assert.Equal(1, await check.AuditLogs.CountAsync(log => log.Action == AuditActions.SignInRefusedSuspended
            && log.ActorId == userId));
        var failures = await check.AuditLogs.Where(log => log.Action == AuditActions.SignInFailed && log.ActorId == null)
            .Select(log => log.Data).ToListAsync();
        Assert.Contains(failures, data => data.Contains(ErrorCodes.InvalidIdToken, StringComparison.Ordinal));
    }
}
