using System.Net;
using System.Net.Http.Json;
using Kinder.Api.Identity.Google;
using Kinder.Core;
using Kinder.Core.Identity;
using Kinder.Tests.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Kinder.Tests.Identity.Google;

/// <summary>Auth: the browser flow — <c>POST /auth/google/login</c>, the provider, <c>GET /auth/google/callback</c>.</summary>
public sealed class GoogleCodeFlowTests(GoogleApiFactory api) : IClassFixture<GoogleApiFactory>
{
    private readonly GoogleSignInDriver _driver = new(api);

    [Fact]
    public async Task Login_returns_an_authorization_url_with_state_nonce_and_an_S256_challenge()
    {
        var url = await _driver.StartAsync();

        Assert.StartsWith(api.Google.AuthorizationEndpoint.ToString(), url);
        var query = GoogleSignInDriver.QueryOf(url);
        Assert.Equal("code", query["response_type"]);
        Assert.Equal(FakeGoogleProvider.ClientId, query["client_id"]);
        Assert.Equal("http://localhost/api/v1/auth/google/callback", query["redirect_uri"]);
        Assert.Contains("openid", query["scope"]);
        Assert.Equal("S256", query["code_challenge_method"]);
        Assert.Equal(43, query["code_challenge"].Length);
        Assert.True(query["state"].Length >= 43 && query["nonce"].Length >= 43);
        Assert.DoesNotContain("code_verifier", query.Keys);
    }

    [Fact]
    public async Task The_sign_in_state_is_kept_server_side_for_ten_minutes()
    {
        var state = GoogleSignInDriver.QueryOf(await _driver.StartAsync())["state"];

        var redis = api.Services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();
        var timeToLive = await redis.KeyTimeToLiveAsync(GoogleSignInStates.Key(state));
        Assert.NotNull(timeToLive);
        Assert.InRange(timeToLive.Value, TimeSpan.FromMinutes(9.5), TimeSpan.FromMinutes(10));
    }

    [Fact]
    public async Task Login_without_a_body_is_accepted()
    {
        var response = await _driver.Client.PostAsync("/api/v1/auth/google/login", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_redirect_uri_not_on_the_allow_list_is_refused()
    {
        var response = await _driver.Client.PostAsJsonAsync("/api/v1/auth/google/login",
            new { redirectUri = "https://evil.example/steal" });

        await response.AssertFieldErrorAsync("redirectUri");
    }

    [Fact]
    public async Task The_callback_creates_a_user_with_a_verified_email_and_answers_the_session()
    {
        var google = FakeGoogleUser.New();

        var session = await _driver.SignInAndReadSessionAsync(google);

        var user = session.GetProperty("user");
        Assert.Equal(google.Email, user.GetProperty("email").GetString());
        Assert.Equal(google.Name, user.GetProperty("displayName").GetString());
        Assert.True(user.GetProperty("emailVerified").GetBoolean());
        Assert.False(string.IsNullOrEmpty(session.GetProperty("accessToken").GetString()));
        Assert.False(string.IsNullOrEmpty(session.GetProperty("refreshToken").GetString()));
        Assert.InRange(session.GetProperty("expiresIn").GetInt32(), 800, 900);

        var stored = Assert.Single(await _driver.UsersWithEmailAsync(google.Email));
        Assert.Equal(google.Subject, stored.GoogleSubject);
        Assert.True(stored.EmailVerified);
        Assert.NotNull(stored.EmailVerifiedAt);
        Assert.Null(stored.PasswordHash);
        Assert.Equal(stored.Id, user.GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task The_callback_answer_may_not_be_cached()
    {
        var response = await _driver.SignInAsync(FakeGoogleUser.New());

        Assert.True(response.Headers.CacheControl?.NoStore, response.Headers.ToString());
    }

    [Fact]
    public async Task The_access_token_from_the_callback_names_the_user()
    {
        var session = await _driver.SignInAndReadSessionAsync(FakeGoogleUser.New());

        var token = new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(session.GetProperty("accessToken").GetString());
        Assert.Equal(session.GetProperty("user").GetProperty("id").GetString(), token.Subject);
    }

    [Fact]
    public async Task The_session_refresh_token_is_stored_hashed_for_the_user()
    {
        var session = await _driver.SignInAndReadSessionAsync(FakeGoogleUser.New());

        var hash = Kinder.Api.Identity.SessionIssuer.Hash(session.GetProperty("refreshToken").GetString()!);
        await using var db = _driver.Database();
        var stored = await db.RefreshTokens.SingleAsync(token => token.TokenHash == hash);
        Assert.Equal(session.GetProperty("user").GetProperty("id").GetGuid(), stored.UserId);
    }

    [Fact]
    public async Task With_an_allowed_redirect_uri_the_callback_redirects_there_with_the_access_token_in_the_fragment()
    {
        var google = FakeGoogleUser.New();

        var response = await _driver.SignInAsync(google, redirectUri: GoogleApiFactory.AppRedirectUri);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.ToString();
        Assert.StartsWith(GoogleApiFactory.AppRedirectUri + "#", location);
        var fragment = QueryHelpers.ParseQuery(location[(location.IndexOf('#') + 1)..]);
        Assert.False(string.IsNullOrEmpty(fragment["accessToken"]));
        Assert.False(fragment.ContainsKey("refreshToken")); // in the HttpOnly cookie instead (GoogleRedirectModeTests)
        Assert.Equal("Bearer", fragment["tokenType"]);
        Assert.InRange(int.Parse(fragment["expiresIn"]!), 800, 900);
        Assert.Single(await _driver.UsersWithEmailAsync(google.Email));
    }

    [Fact]
    public async Task A_custom_scheme_redirect_uri_on_the_allow_list_works_for_the_apps()
    {
        var response = await _driver.SignInAsync(FakeGoogleUser.New(), redirectUri: GoogleApiFactory.MobileRedirectUri);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith(GoogleApiFactory.MobileRedirectUri + "#accessToken=", response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task An_existing_password_user_with_the_same_email_is_linked_not_duplicated()
    {
        var email = $"linked-{Guid.NewGuid():N}@example.test";
        var existing = await _driver.SeedUserAsync(email, emailVerified: true);

        var session = await _driver.SignInAndReadSessionAsync(FakeGoogleUser.New(email.ToUpperInvariant()));

        Assert.Equal(existing.Id, session.GetProperty("user").GetProperty("id").GetGuid());
        var stored = Assert.Single(await _driver.UsersWithEmailAsync(email));
        Assert.NotNull(stored.GoogleSubject);
        Assert.Equal(existing.PasswordHash, stored.PasswordHash); // they proved the address before: both ways stay open
        Assert.Equal(email, stored.Email);
    }

    [Fact]
    public async Task Linking_an_account_whose_email_was_never_verified_verifies_it_and_drops_the_squatted_password()
    {
        var email = $"squatted-{Guid.NewGuid():N}@example.test";
        var existing = await _driver.SeedUserAsync(email, emailVerified: false);
        await using (var db = _driver.Database())
        {
            db.RefreshTokens.Add(new RefreshToken
            {
                UserId = existing.Id, FamilyId = Guid.CreateVersion7(), TokenHash = [1, 2, 3],
                ExpiresAt = DateTimeOffset.UtcNow.AddDays(1),
            });
            await db.SaveChangesAsync();
        }

        await _driver.SignInAndReadSessionAsync(FakeGoogleUser.New(email));

        var stored = Assert.Single(await _driver.UsersWithEmailAsync(email));
        Assert.True(stored.EmailVerified);
        Assert.Null(stored.PasswordHash);
        await using var check = _driver.Database();
        Assert.NotNull((await check.RefreshTokens.SingleAsync(token => token.TokenHash == new byte[] { 1, 2, 3 })).RevokedAt);
    }

    [Fact]
    public async Task A_second_sign_in_finds_the_same_user()
    {
        var google = FakeGoogleUser.New();
        var first = await _driver.SignInAndReadSessionAsync(google);

        var second = await _driver.SignInAndReadSessionAsync(google);

        Assert.Equal(first.GetProperty("user").GetProperty("id").GetGuid(), second.GetProperty("user").GetProperty("id").GetGuid());
        Assert.NotEqual(first.GetProperty("refreshToken").GetString(), second.GetProperty("refreshToken").GetString());
        Assert.Single(await _driver.UsersWithEmailAsync(google.Email));
    }

    [Fact]
    public async Task A_linked_user_is_found_by_google_subject_after_changing_their_google_email()
    {
        var google = FakeGoogleUser.New();
        var first = await _driver.SignInAndReadSessionAsync(google);

        var second = await _driver.SignInAndReadSessionAsync(google with { Email = $"renamed-{Guid.NewGuid():N}@example.test" });

        Assert.Equal(first.GetProperty("user").GetProperty("id").GetGuid(), second.GetProperty("user").GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task A_reused_state_is_refused()
    {
        var callback = await api.Google.SignInAsync(await _driver.StartAsync(), FakeGoogleUser.New());
        var first = await _driver.Client.GetAsync(callback);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        var replay = await _driver.Client.GetAsync(callback);

        await replay.AssertProblemAsync(HttpStatusCode.BadRequest, ErrorCodes.InvalidState);
    }

    [Fact]
    public async Task An_unknown_state_is_refused()
    {
        var response = await _driver.Client.GetAsync("/api/v1/auth/google/callback?code=abc&state=never-issued");

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, ErrorCodes.InvalidState);
    }

    [Fact]
    public async Task A_callback_without_state_is_refused()
    {
        var response = await _driver.Client.GetAsync("/api/v1/auth/google/callback?code=abc");

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, ErrorCodes.InvalidState);
    }

    [Fact]
    public async Task An_error_from_google_is_a_problem_and_uses_up_the_state()
    {
        var state = GoogleSignInDriver.QueryOf(await _driver.StartAsync())["state"];

        var denied = await _driver.Client.GetAsync($"/api/v1/auth/google/callback?state={state}&error=access_denied");
        var replay = await _driver.Client.GetAsync($"/api/v1/auth/google/callback?state={state}&code=abc");

        var body = await denied.AssertProblemAsync(HttpStatusCode.BadRequest, ErrorCodes.GoogleSignInFailed);
        Assert.Contains("access_denied", body.GetProperty("detail").GetString());
        await replay.AssertProblemAsync(HttpStatusCode.BadRequest, ErrorCodes.InvalidState);
    }

    [Fact]
    public async Task A_wrong_pkce_verifier_is_refused_by_the_provider_and_surfaces_as_a_problem()
    {
        // Someone swapped the challenge on the way to Google (or injected a code from another sign-in): the verifier we
        // kept no longer matches what Google was given.
        var url = await _driver.StartAsync();
        var tampered = url.Replace(GoogleSignInDriver.QueryOf(url)["code_challenge"], GoogleSignInStates.CodeChallenge(GoogleSignInStates.RandomValue()));
        var callback = await api.Google.SignInAsync(tampered, FakeGoogleUser.New());

        var response = await _driver.Client.GetAsync(callback);

        var body = await response.AssertProblemAsync(HttpStatusCode.BadRequest, ErrorCodes.GoogleSignInFailed);
        Assert.Contains("invalid_grant", body.GetProperty("detail").GetString());
        Assert.Contains("invalid_grant: code_verifier", api.Google.TokenErrors);
    }

    [Fact]
    public async Task A_forged_id_token_on_the_callback_is_refused_and_creates_no_user()
    {
        var google = FakeGoogleUser.New();

        var response = await _driver.SignInAsync(google, new FakeIdTokenOptions { SignWithForeignKey = true });

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, ErrorCodes.InvalidIdToken);
        Assert.Empty(await _driver.UsersWithEmailAsync(google.Email));
    }

    [Fact]
    public async Task An_id_token_with_another_sign_ins_nonce_is_refused()
    {
        var response = await _driver.SignInAsync(FakeGoogleUser.New(), new FakeIdTokenOptions { Nonce = "someone-elses-nonce" });

        var body = await response.AssertProblemAsync(HttpStatusCode.Unauthorized, ErrorCodes.InvalidIdToken);
        Assert.Contains("nonce", body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task An_expired_id_token_on_the_callback_is_refused()
    {
        var response = await _driver.SignInAsync(FakeGoogleUser.New(),
            new FakeIdTokenOptions { IssuedAt = DateTimeOffset.UtcNow.AddHours(-2) });

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, ErrorCodes.InvalidIdToken);
    }

    [Fact]
    public async Task A_google_account_without_a_verified_email_is_refused_on_the_callback()
    {
        var google = FakeGoogleUser.New() with { EmailVerified = false };

        var response = await _driver.SignInAsync(google);

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, ErrorCodes.GoogleEmailNotVerified);
        Assert.Empty(await _driver.UsersWithEmailAsync(google.Email));
    }

    [Fact]
    public async Task A_deleted_account_is_refused()
    {
        var email = $"deleted-{Guid.NewGuid():N}@example.test";
        var existing = await _driver.SeedUserAsync(email, emailVerified: true);
        await using (var db = _driver.Database())
        {
            await db.Users.Where(user => user.Id == existing.Id)
                .ExecuteUpdateAsync(set => set.SetProperty(user => user.DeletedAt, DateTimeOffset.UtcNow));
        }

        var response = await _driver.SignInAsync(FakeGoogleUser.New(email));

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, ErrorCodes.AccountDeleted);
        Assert.Null(Assert.Single(await _driver.UsersWithEmailAsync(email)).GoogleSubject);
    }
}
