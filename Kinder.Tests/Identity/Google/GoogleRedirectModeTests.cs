using System.Net;
using Kinder.Api.Identity;
using Kinder.Api.Identity.Google;
using Kinder.Core;
using Kinder.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.WebUtilities;

namespace Kinder.Tests.Identity.Google;

/// <summary>
/// Redirect mode: the sign-in is bound to the browser that started it, and the refresh token never travels in the URL
/// (docs/api/README.md, Auth).
/// </summary>
public sealed class GoogleRedirectModeTests(GoogleApiFactory api) : IClassFixture<GoogleApiFactory>
{
    private readonly GoogleSignInDriver _driver = new(api);

    [Fact]
    public async Task A_callback_opened_in_another_browser_is_refused_as_INVALID_STATE()
    {
        var authorizationUrl = await _driver.StartAsync(GoogleApiFactory.AppRedirectUri);
        var callback = await _driver.Google.SignInAsync(authorizationUrl, FakeGoogleUser.New());
        var otherBrowser = api.CreateClient(new WebApplicationFactoryClientOptions
        {
            AllowAutoRedirect = false,
            BaseAddress = new Uri("https://localhost"),
        });

        var response = await otherBrowser.GetAsync(callback);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, ErrorCodes.InvalidState);
    }

    [Fact]
    public async Task Starting_sets_an_HttpOnly_Secure_Lax_binding_cookie()
    {
        var response = await _driver.Browser.PostAsync("/api/v1/auth/google/login",
            System.Net.Http.Json.JsonContent.Create(new { redirectUri = GoogleApiFactory.AppRedirectUri }));

        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(GoogleApi.BindingCookie + "=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_refresh_token_comes_as_the_HttpOnly_cookie_not_in_the_fragment_and_refreshes()
    {
        var response = await _driver.SignInAsync(FakeGoogleUser.New(), redirectUri: GoogleApiFactory.AppRedirectUri);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.ToString();
        var fragment = QueryHelpers.ParseQuery(location[(location.IndexOf('#') + 1)..]);
        Assert.False(fragment.ContainsKey("refreshToken"));
        Assert.DoesNotContain("refresh", location[location.IndexOf('#')..], StringComparison.OrdinalIgnoreCase);
        Assert.Contains(response.Headers.GetValues("Set-Cookie"),
            cookie => cookie.StartsWith(RefreshTokenCookies.RefreshTokenCookie + "=", StringComparison.Ordinal) &&
                cookie.Contains("httponly", StringComparison.OrdinalIgnoreCase));

        // The browser refreshes with the cookie and the CSRF token it was given, as in cookie mode.
        using var refresh = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/refresh")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { }),
        };
        refresh.Headers.Add(RefreshTokenCookies.CsrfHeader, fragment["csrfToken"].ToString());
        var refreshed = await _driver.Browser.SendAsync(refresh);
        Assert.True(refreshed.StatusCode == HttpStatusCode.OK, await refreshed.Content.ReadAsStringAsync());
    }
}
