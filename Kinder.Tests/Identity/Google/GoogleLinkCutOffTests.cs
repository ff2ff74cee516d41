using System.Net;
using Kinder.Core;
using Kinder.Tests.Infrastructure;

namespace Kinder.Tests.Identity.Google;

/// <summary>Linking a Google account ends the access tokens issued before it; the session the link starts works.</summary>
public sealed class GoogleLinkCutOffTests(GoogleApiFactory api) : IClassFixture<GoogleApiFactory>
{
    private readonly GoogleSignInDriver _driver = new(api);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Linking_refuses_the_earlier_access_tokens_and_not_the_new_session(bool emailVerified)
    {
        var email = $"linked-{Guid.NewGuid():N}@example.test";
        var existing = await _driver.SeedUserAsync(email, emailVerified);
        var earlier = TestTokens.For(existing).Token;
        Assert.Equal(HttpStatusCode.OK, (await _driver.Client.GetMeAsync(earlier)).StatusCode);

        var session = await _driver.SignInAndReadSessionAsync(FakeGoogleUser.New(email));

        await (await _driver.Client.GetMeAsync(earlier)).AssertProblemAsync(HttpStatusCode.Unauthorized, ErrorCodes.TokenRevoked);
        var fresh = session.GetProperty("accessToken").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await _driver.Client.GetMeAsync(fresh)).StatusCode);
    }
}
