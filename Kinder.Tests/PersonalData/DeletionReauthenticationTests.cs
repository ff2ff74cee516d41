using System.Net;
using System.Net.Http.Headers;
using Kinder.Api.Identity;
using Kinder.Core.Identity;
using Kinder.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kinder.Tests.PersonalData;

/// <summary>DELETE /users/me needs a recent sign-in: an access token issued in the last five minutes.</summary>
public sealed class DeletionReauthenticationTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    /// <summary>The system clock, some time ago: what issued a token that long ago.</summary>
    private sealed class EarlierTime(TimeSpan ago) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() - ago;
    }

    private static string TokenIssuedAgo(User user, TimeSpan ago) =>
        new AccessTokenIssuer(Options.Create(new JwtOptions { SigningKey = TestServers.JwtSigningKey }), new EarlierTime(ago))
            .Issue(user).Token;

    private Task<HttpResponseMessage> DeleteAsync(string accessToken)
    {
        var client = api.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return client.DeleteAsync("/api/v1/users/me");
    }

    [Fact]
    public async Task A_token_issued_more_than_five_minutes_ago_cannot_delete_the_account()
    {
        var user = await TestAccounts.CreateAsync(api.DatabaseConnectionString);

        var response = await DeleteAsync(TokenIssuedAgo(user, TimeSpan.FromMinutes(6)));

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, "REAUTHENTICATION_REQUIRED");
        await using var db = TestDatabases.CreateContext(api.DatabaseConnectionString);
        Assert.Null((await db.Users.SingleAsync(u => u.Id == user.Id)).DeletedAt);
    }

    [Fact]
    public async Task A_token_issued_within_five_minutes_deletes_the_account()
    {
        var user = await TestAccounts.CreateAsync(api.DatabaseConnectionString);

        var response = await DeleteAsync(TokenIssuedAgo(user, TimeSpan.FromMinutes(4)));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }
}
