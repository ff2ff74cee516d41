using System.Security.Cryptography;
using System.Text;
using Kinder.Core.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace Kinder.Api.Identity;

/// <summary>
/// Cookie mode for browsers (<c>?useCookies=true</c> on sign-in): the refresh token lives in an HttpOnly, Secure,
/// SameSite=Strict cookie that only <c>/api/v1/auth</c> ever receives, so page scripts cannot read it. Requests that
/// authenticate with that cookie (refresh, logout) must also repeat the readable CSRF cookie's value in
/// <c>X-CSRF-Token</c> (double submit): another site can make the browser send cookies, but cannot read them.
/// </summary>
public sealed class RefreshTokenCookies(IOptions<JwtOptions> jwt, TimeProvider time)
{
    public const string RefreshTokenCookie = "kinder_refresh";
    public const string CsrfCookie = "kinder_csrf";
    public const string CsrfHeader = "X-CSRF-Token";
    public const string RefreshTokenPath = "/api/v1/auth";

    /// <summary>A sign-in's answer for the client: unchanged, or with the refresh token moved into cookies.</summary>
    public AuthSessionResponse ForClient(HttpResponse response, AuthSessionResponse session, bool useCookies) =>
        useCookies && session.RefreshToken is { } refreshToken
            ? session with { RefreshToken = null, CsrfToken = Write(response, refreshToken) }
            : session;

    public TokenPairResponse ForClient(HttpResponse response, TokenPairResponse tokens, bool useCookies) =>
        useCookies && tokens.RefreshToken is { } refreshToken
            ? tokens with { RefreshToken = null, CsrfToken = Write(response, refreshToken) }
            : tokens;

    public static string? ReadRefreshToken(HttpRequest request) =>
        request.Cookies.TryGetValue(RefreshTokenCookie, out var value) && !string.IsNullOrEmpty(value) ? value : null;

    /// <summary>Whether the CSRF header repeats the CSRF cookie (compared in constant time).</summary>
    public static bool HasMatchingCsrfToken(HttpRequest request)
    {
        var header = request.Headers[CsrfHeader].ToString();
        return request.Cookies.TryGetValue(CsrfCookie, out var cookie) && !string.IsNullOrEmpty(cookie) && header.Length > 0 &&
            CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header), Encoding.UTF8.GetBytes(cookie));
    }

    public static void Clear(HttpResponse response)
    {
        response.Cookies.Delete(RefreshTokenCookie, Options(RefreshTokenPath, httpOnly: true, expires: null));
        response.Cookies.Delete(CsrfCookie, Options("/", httpOnly: false, expires: null));
    }

    private string Write(HttpResponse response, string refreshToken)
    {
        var csrfToken = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        var expires = time.GetUtcNow() + jwt.Value.RefreshTokenLifetime;
        response.Cookies.Append(RefreshTokenCookie, refreshToken, Options(RefreshTokenPath, httpOnly: true, expires));
        // Path=/ so the app's pages can read it and echo it in the header.
        response.Cookies.Append(CsrfCookie, csrfToken, Options("/", httpOnly: false, expires));
        return csrfToken;
    }

    private static CookieOptions Options(string path, bool httpOnly, DateTimeOffset? expires) => new()
    {
        HttpOnly = httpOnly,
        Secure = true,
        SameSite = SameSiteMode.Strict,
        Path = path,
        Expires = expires,
        IsEssential = true,
    };
}
