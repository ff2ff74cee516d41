using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Kinder.Api.Identity;
using Kinder.Core.Identity;
using Kinder.Core;
using Kinder.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;

namespace Kinder.Tests.Identity;

/// <summary>
/// Browsers: <c>?useCookies=true</c> puts the refresh token in an HttpOnly cookie; refresh and logout authenticated by
/// that cookie need the CSRF header repeating the readable CSRF cookie.
/// </summary>
public sealed class CookieModeTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static readonly Uri Origin = new("https://localhost");
    private readonly CookieContainer _cookies = new();

    private HttpClient Browser() => api.CreateDefaultClient(Origin, new CookieContainerHandler(_cookies));

    private string? Cookie(string name, string path = "/api/v1/auth") => _cookies.GetCookies(new Uri(Origin, path))[name]?.Value;

    private async Task<(HttpClient Browser, AuthSessionResponse Session)> SignInWithCookiesAsync()
    {
        var browser = Browser();
        var email = Accounts.NewEmail();
        await api.CreateClient().RegisterAsync(email);
        var response = await browser.PostAsJsonAsync("/api/v1/auth/login?useCookies=true", new { email, password = Accounts.Password });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (browser, (await response.Content.ReadFromJsonAsync<AuthSessionResponse>())!);
    }

    private static HttpRequestMessage Post(string path, string? csrfToken, string? accessToken = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path);
        if (csrfToken is not null)
        {
            request.Headers.Add(RefreshTokenCookies.CsrfHeader, csrfToken);
        }
        if (accessToken is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        }
        return request;
    }

    [Fact]
    public async Task Signing_in_with_cookies_sets_an_httponly_secure_strict_refresh_cookie_and_answers_a_csrf_token()
    {
        var email = Accounts.NewEmail();
        await api.CreateClient().RegisterAsync(email);

        var response = await Browser().PostAsJsonAsync("/api/v1/auth/login?useCookies=true", new { email, password = Accounts.Password });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = (await response.Content.ReadFromJsonAsync<AuthSessionResponse>())!;
        Assert.Null(body.RefreshToken);
        Assert.False(string.IsNullOrEmpty(body.CsrfToken));
        var setCookies = response.Headers.GetValues("Set-Cookie").ToList();
        var refresh = Assert.Single(setCookies, c => c.StartsWith(RefreshTokenCookies.RefreshTokenCookie + "=", StringComparison.Ordinal));
        foreach (var attribute in new[] { "path=/api/v1/auth", "secure", "samesite=strict", "httponly", "expires=" })
        {
            Assert.Contains(attribute, refresh, StringComparison.OrdinalIgnoreCase);
        }
        var csrf = Assert.Single(setCookies, c => c.StartsWith(RefreshTokenCookies.CsrfCookie + "=", StringComparison.Ordinal));
        Assert.DoesNotContain("httponly", csrf, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(body.CsrfToken, Cookie(RefreshTokenCookies.CsrfCookie, "/"));
    }

    [Fact]
    public async Task Registering_with_cookies_uses_the_cookie_too()
    {
        var response = await Browser().PostAsJsonAsync("/api/v1/auth/register?useCookies=true",
            new { email = Accounts.NewEmail(), password = Accounts.Password, displayName = "Grace" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = (await response.Content.ReadFromJsonAsync<AuthSessionResponse>())!;
        Assert.Null(body.RefreshToken);
        Assert.NotNull(Cookie(RefreshTokenCookies.RefreshTokenCookie));
        Assert.Equal(body.CsrfToken, Cookie(RefreshTokenCookies.CsrfCookie, "/"));
    }

    [Fact]
    public async Task A_cookie_refresh_with_the_csrf_header_rotates_the_cookie()
    {
        var (browser, session) = await SignInWithCookiesAsync();
        var before = Cookie(RefreshTokenCookies.RefreshTokenCookie);

        var response = await browser.SendAsync(Post("/api/v1/auth/refresh", session.CsrfToken));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var pair = (await response.Content.ReadFromJsonAsync<TokenPairResponse>())!;
        Assert.Null(pair.RefreshToken);
        Assert.NotEqual(before, Cookie(RefreshTokenCookies.RefreshTokenCookie));
        Assert.Equal(pair.CsrfToken, Cookie(RefreshTokenCookies.CsrfCookie, "/"));
        Assert.Equal(HttpStatusCode.OK, (await browser.GetMeAsync(pair.AccessToken)).StatusCode);
    }

    [Fact]
    public async Task A_cookie_refresh_without_the_csrf_header_is_403_CSRF_TOKEN_MISMATCH()
    {
        var (browser, _) = await SignInWithCookiesAsync();

        var response = await browser.SendAsync(Post("/api/v1/auth/refresh", csrfToken: null));

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, ErrorCodes.CsrfTokenMismatch);
    }

    [Fact]
    public async Task A_cookie_refresh_with_a_wrong_csrf_header_is_403_CSRF_TOKEN_MISMATCH()
    {
        var (browser, _) = await SignInWithCookiesAsync();

        var response = await browser.SendAsync(Post("/api/v1/auth/refresh", SecretTokens.NewValue()));

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, ErrorCodes.CsrfTokenMismatch);
    }

    [Fact]
    public async Task A_cookie_logout_without_the_csrf_header_is_403_and_leaves_the_session()
    {
        var (browser, session) = await SignInWithCookiesAsync();

        var response = await browser.SendAsync(Post("/api/v1/auth/logout", csrfToken: null, session.AccessToken));

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, ErrorCodes.CsrfTokenMismatch);
        Assert.Equal(HttpStatusCode.OK, (await browser.SendAsync(Post("/api/v1/auth/refresh", session.CsrfToken))).StatusCode);
    }

    [Fact]
    public async Task A_cookie_logout_with_the_csrf_header_revokes_the_cookie_session_and_clears_the_cookies()
    {
        var (browser, session) = await SignInWithCookiesAsync();
        var refreshToken = Cookie(RefreshTokenCookies.RefreshTokenCookie);

        var response = await browser.SendAsync(Post("/api/v1/auth/logout", session.CsrfToken, session.AccessToken));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Null(Cookie(RefreshTokenCookies.RefreshTokenCookie));
        await (await api.CreateClient().PostRefreshAsync(refreshToken)).AssertProblemAsync(HttpStatusCode.Unauthorized, ErrorCodes.TokenRevoked);
    }
}
