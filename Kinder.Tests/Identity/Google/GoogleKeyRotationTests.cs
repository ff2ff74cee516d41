using System.Net;
using System.Net.Http.Json;
using Kinder.Tests.Infrastructure;

namespace Kinder.Tests.Identity.Google;

/// <summary>
/// A rotated Google key is fetched on the request that meets it. In a class (and Api host) of its own: IdentityModel
/// refreshes keys at most once a second, so another test's refresh just before (a forged key also asks for one)
/// would make this one depend on timing.
/// </summary>
public sealed class GoogleKeyRotationTests(GoogleApiFactory api) : IClassFixture<GoogleApiFactory>
{
    private readonly GoogleSignInDriver _driver = new(api);

    private Task<HttpResponseMessage> PostAsync(string idToken) =>
        _driver.Client.PostAsJsonAsync("/api/v1/auth/google/token", new { idToken });

    [Fact]
    public async Task A_token_signed_with_a_newly_rotated_key_is_accepted_after_fetching_the_keys_again()
    {
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(api.Google.CreateIdToken(FakeGoogleUser.New()))).StatusCode);
        var fetches = api.Google.KeySetRequests;

        api.Google.RotateKey();
        var response = await PostAsync(api.Google.CreateIdToken(FakeGoogleUser.New()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(fetches + 1, api.Google.KeySetRequests);
    }
}
