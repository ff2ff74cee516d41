using System.Net;
using System.Net.Http.Json;
using Kinder.Api.Identity;
using Kinder.Core;
using Kinder.Core.Identity;
using Kinder.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Tests.Identity;

/// <summary>Auth: <c>POST /refresh</c>, <c>POST /logout</c>, <c>GET /me</c> — rotation, reuse, revocation.</summary>
public sealed class SessionTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private readonly HttpClient _client = api.CreateClient();

    [Fact]
    public async Task Refreshing_rotates_the_pair()
    {
        var session = await _client.RegisterAsync();

        var response = await _client.PostRefreshAsync(session.RefreshToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var pair = (await response.Content.ReadFromJsonAsync<TokenPairResponse>())!;
        Assert.NotEqual(session.RefreshToken, pair.RefreshToken);
        Assert.NotEqual(session.AccessToken, pair.AccessToken);
        Assert.InRange(pair.ExpiresIn, 890, 900);
        Assert.Equal(HttpStatusCode.OK, (await _client.GetMeAsync(pair.AccessToken)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _client.PostRefreshAsync(pair.RefreshToken)).StatusCode);
    }

    [Fact]
    public async Task Refresh_with_a_rotated_token_revokes_the_family()
    {
        var session = await _client.RegisterAsync();
        var pair = (await (await _client.PostRefreshAsync(session.RefreshToken)).Content.ReadFromJsonAsync<TokenPairResponse>())!;

        var reuse = await _client.PostRefreshAsync(session.RefreshToken);

        await reuse.AssertProblemAsync(HttpStatusCode.Unauthorized, ErrorCodes.TokenRevoked);
        // The successor, held by whoever rotated first, is dead too.
        await (await _client.PostRefreshAsync(pair.RefreshToken)).AssertProblemAsync(HttpStatusCode.Unauthorized, ErrorCodes.TokenRevoked);
    }

    [Fact]
    public async Task Reuse_leaves_the_users_other_sessions_alone()
    {
        var email = Accounts.NewEmail();
        var first = await _client.RegisterAsync(email);
        var second = await _client.LoginAsync(email);
        await _client.PostRefreshAsync(first.RefreshToken);

        await _client.PostRefreshAsync(first.RefreshToken);

        Assert.Equal(HttpStatusCode.OK, (await _client.PostRefreshAsync(second.RefreshToken)).StatusCode);
    }

    [Fact]
    public async Task Two_concurrent_refreshes_with_the_same_token_do_not_both_succeed()
    {
        for (var round = 0; round < 5; round++)
        {
            var session = await _client.RegisterAsync();

            var responses = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => _client.PostRefreshAsync(session.RefreshToken)));

            Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
            await responses.Single(r => r.StatusCode != HttpStatusCode.OK)
                .AssertProblemAsync(HttpStatusCode.Unauthorized, ErrorCodes.TokenRevoked);
        }
    }

    [Fact]
    public async Task An_expired_refresh_token_is_401_TOKEN_EXPIRED()
    {
        var session = await _client.RegisterAsync();
        await using (var db = TestDatabases.CreateContext(api.DatabaseConnectionString))
        {
            await db.RefreshTokens.Where(t => t.UserId == session.User.Id)
                .ExecuteUpdateAsync(set => set.SetProperty(t => t.ExpiresAt, DateTimeOffset.UtcNow.AddSeconds(-1)));
        }

        var response = await _client.PostRefreshAsync(session.RefreshToken);

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, ErrorCodes.TokenExpired);
    }

    [Fact]
    public async Task An_unknown_refresh_token_is_401_UNAUTHORIZED()
    {
        var response = await _client.PostRefreshAsync("not-a-token-we-issued");

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
    }

    [Fact]
    public async Task A_refresh_without_any_token_is_401_UNAUTHORIZED()
    {
        var response = await _client.PostAsync("/api/v1/auth/refresh", null);

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
    }

    [Fact]
    public async Task A_deleted_accounts_refresh_token_is_401_TOKEN_REVOKED()
    {
        var session = await _client.RegisterAsync();
        await using (var db = TestDatabases.CreateContext(api.DatabaseConnectionString))
        {
            await db.Users.Where(u => u.Id == session.User.Id)
                .ExecuteUpdateAsync(set => set.SetProperty(u => u.DeletedAt, DateTimeOffset.UtcNow));
        }

        var response = await _client.PostRefreshAsync(session.RefreshToken);

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, ErrorCodes.TokenRevoked);
    }

    [Fact]
    public async Task Logging_out_revokes_the_refresh_token()
    {
        var session = await _client.RegisterAsync();

        var response = await _client.SendAsync(HttpMethod.Post, "/api/v1/auth/logout", session.AccessToken,
            new { refreshToken = session.RefreshToken });

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        await (await _client.PostRefreshAsync(session.RefreshToken)).AssertProblemAsync(HttpStatusCode.Unauthorized, ErrorCodes.TokenRevoked);
    }

    [Fact]
    public async Task A_logged_out_access_token_is_refused_with_TOKEN_REVOKED_until_it_would_have_expired()
    {
        var session = await _client.RegisterAsync();

        var response = await _client.SendAsync(HttpMethod.Post, "/api/v1/auth/logout", session.AccessToken);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        await (await _client.GetMeAsync(session.AccessToken)).AssertProblemAsync(HttpStatusCode.Unauthorized, ErrorCodes.TokenRevoked);
        var jti = new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(session.AccessToken).Id;
        await using var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(TestServers.Redis);
        var ttl = await redis.GetDatabase().KeyTimeToLiveAsync($"kinder:revoked-jti:{jti}");
        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.FromMinutes(14), TimeSpan.FromMinutes(15));
    }

    [Fact]
    public async Task Logging_out_leaves_another_users_refresh_token_alone()
    {
        var mine = await _client.RegisterAsync();
        var theirs = await _client.RegisterAsync();

        await _client.SendAsync(HttpMethod.Post, "/api/v1/auth/logout", mine.AccessToken, new { refreshToken = theirs.RefreshToken });

        Assert.Equal(HttpStatusCode.OK, (await _client.PostRefreshAsync(theirs.RefreshToken)).StatusCode);
    }

    [Fact]
    public async Task Logging_out_without_an_access_token_is_401_UNAUTHORIZED()
    {
        var response = await _client.PostAsJsonAsync("/api/v1/auth/logout", new { refreshToken = "whatever" });

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
    }

    [Fact]
    public async Task Me_answers_the_signed_in_user()
    {
        var session = await _client.RegisterAsync();

        var me = (await (await _client.GetMeAsync(session.AccessToken)).Content.ReadFromJsonAsync<UserResponse>())!;

        Assert.Equal(session.User.Email, me.Email);
        Assert.Equal(session.User.DisplayName, me.DisplayName);
        Assert.False(me.OnboardingCompleted);
    }

    [Fact]
    public async Task Me_without_an_access_token_is_401_UNAUTHORIZED()
    {
        var response = await _client.GetAsync("/api/v1/auth/me");

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
    }

    [Fact]
    public async Task Me_for_a_deleted_account_is_404()
    {
        var session = await _client.RegisterAsync();
        await using (var db = TestDatabases.CreateContext(api.DatabaseConnectionString))
        {
            await db.Users.Where(u => u.Id == session.User.Id)
                .ExecuteUpdateAsync(set => set.SetProperty(u => u.DeletedAt, DateTimeOffset.UtcNow));
        }

        var response = await _client.GetMeAsync(session.AccessToken);

        await response.AssertProblemAsync(HttpStatusCode.NotFound, ErrorCodes.NotFound);
    }

    [Fact]
    public async Task Refresh_tokens_are_stored_only_as_hashes()
    {
        var session = await _client.RegisterAsync();

        await using var db = TestDatabases.CreateContext(api.DatabaseConnectionString);
        var stored = await db.RefreshTokens.SingleAsync(t => t.UserId == session.User.Id);
        Assert.Equal(SessionIssuer.Hash(session.RefreshToken!), stored.TokenHash);
    }
}
