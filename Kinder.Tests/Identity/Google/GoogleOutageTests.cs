using System.Net;
using System.Net.Http.Json;
using Kinder.Core;
using Kinder.Tests.Infrastructure;

namespace Kinder.Tests.Identity.Google;

/// <summary>When Google is down, sign-in says so (502) after the resilient HttpClient's retries.</summary>
public sealed class GoogleOutageTests : IClassFixture<GoogleApiFactory>
{
    private readonly GoogleApiFactory _api;
    private readonly GoogleSignInDriver _driver;

    public GoogleOutageTests(GoogleApiFactory api)
    {
        _api = api;
        _driver = new GoogleSignInDriver(api);
        api.Google.Unavailable = true; // this class's own provider, down for all its tests
    }

    [Fact]
    public async Task The_callback_is_a_502_when_googles_token_endpoint_keeps_failing_after_retries()
    {
        var state = GoogleSignInDriver.QueryOf(await _driver.StartAsync())["state"];
        var before = _api.Google.TokenRequests;

        var response = await _driver.Client.GetAsync($"/api/v1/auth/google/callback?state={state}&code=any");

        await response.AssertProblemAsync(HttpStatusCode.BadGateway, ErrorCodes.GoogleUnavailable);
        Assert.True(_api.Google.TokenRequests - before > 1, "the token request should have been retried");
    }

    [Fact]
    public async Task An_id_token_sign_in_is_a_502_when_googles_keys_cannot_be_fetched()
    {
        var response = await _driver.Client.PostAsJsonAsync("/api/v1/auth/google/token",
            new { idToken = _api.Google.CreateIdToken(FakeGoogleUser.New()) });

        await response.AssertProblemAsync(HttpStatusCode.BadGateway, ErrorCodes.GoogleUnavailable);
        Assert.True(_api.Google.KeySetRequests > 1, "the key set request should have been retried");
    }
}
