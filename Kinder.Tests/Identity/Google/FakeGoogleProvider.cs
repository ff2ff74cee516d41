using System.Collections.Concurrent;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Kinder.Tests.Identity.Google;

/// <summary>A Google account as the fake provider signs it in.</summary>
public sealed record FakeGoogleUser(string Subject, string Email, string Name, bool EmailVerified = true)
{
    public static FakeGoogleUser New(string? email = null) => new(
        Subject: RandomNumberGenerator.GetInt32(100_000_000, int.MaxValue).ToString() + RandomNumberGenerator.GetInt32(0, 999_999),
        Email: email ?? $"google-{Guid.NewGuid():N}@example.test",
        Name: "Gina Google");
}

/// <summary>How the fake should get an ID token wrong (or right: the defaults are what Google would send).</summary>
public sealed record FakeIdTokenOptions
{
    public string? Audience { get; init; }
    public string? Issuer { get; init; }
    public string? Nonce { get; init; }
    public TimeSpan Lifetime { get; init; } = TimeSpan.FromHours(1);
    public DateTimeOffset? IssuedAt { get; init; }

    /// <summary>Signed with a key that is not in the JWKS: what a forger can do.</summary>
    public bool SignWithForeignKey { get; init; }

    /// <summary><c>alg: none</c>, no signature at all.</summary>
    public bool Unsigned { get; init; }
}

/// <summary>
/// A small OpenID provider standing in for Google, on loopback: <c>/authorize</c> signs in the test's user at once
/// and redirects back with a code, <c>/token</c> checks the code, PKCE verifier, redirect URI, client id and
/// secret as Google does and returns an RS256-signed ID token, <c>/jwks</c> publishes its keys (named by the discovery
/// document at <c>/.well-known/openid-configuration</c>).
/// </summary>
public sealed class FakeGoogleProvider : IAsyncDisposable
{
    public const string ClientId = "kinder-tests.apps.googleusercontent.test";
    public const string ClientSecret = "fake-google-client-secret";
    public const string Issuer = "https://accounts.google.com";
    private const string LoginParameter = "fake_login";

    private sealed record PendingLogin(FakeGoogleUser User, FakeIdTokenOptions Token);

    private sealed record IssuedCode(PendingLogin Login, string ClientId, string RedirectUri, string? Nonce,
        string CodeChallenge, string CodeChallengeMethod);

    private readonly WebApplication _app;
    private readonly JsonWebTokenHandler _tokens = new();
    private readonly ConcurrentDictionary<string, PendingLogin> _logins = new();
    private readonly ConcurrentDictionary<string, IssuedCode> _codes = new();
    private readonly ConcurrentQueue<string> _tokenErrors = new();
    private readonly RsaSecurityKey _foreignKey = NewKey("forger-key");
    private volatile IReadOnlyList<RsaSecurityKey> _publishedKeys = [NewKey("fake-key-1")];
    private int _keySetRequests;
    private int _tokenRequests;

    private FakeGoogleProvider(WebApplication app)
    {
        _app = app;
        app.MapGet("/authorize", Authorize);
        app.MapPost("/token", TokenAsync);
        app.MapGet("/jwks", KeySet);
        app.MapGet("/.well-known/openid-configuration", Discovery);
    }

    public Uri BaseAddress { get; private set; } = null!;
    public Uri AuthorizationEndpoint => new(BaseAddress, "authorize");
    public Uri TokenEndpoint => new(BaseAddress, "token");
    public Uri JwksUri => new(BaseAddress, "jwks");
    public Uri DiscoveryUri => new(BaseAddress, ".well-known/openid-configuration");

    /// <summary>Why <c>/token</c> refused requests, in order (<c>invalid_grant: code_verifier</c>, …).</summary>
    public IReadOnlyCollection<string> TokenErrors => _tokenErrors;

    public int KeySetRequests => Volatile.Read(ref _keySetRequests);

    public int TokenRequests => Volatile.Read(ref _tokenRequests);

    /// <summary>While set, <c>/token</c> and <c>/jwks</c> answer 503, as during an outage.</summary>
    public bool Unavailable { get; set; }

    public static async Task<FakeGoogleProvider> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var provider = new FakeGoogleProvider(builder.Build());
        await provider._app.StartAsync();
        var address = provider._app.Urls.Single(); // the port Kestrel picked
        provider.BaseAddress = new Uri(address.TrimEnd('/') + "/");
        return provider;
    }

    /// <summary>
    /// What the browser does with an authorization URL: the user signs in at "Google", which redirects back. Returns
    /// the redirect's target (our callback with code and state) without following it.
    /// </summary>
    public async Task<Uri> SignInAsync(string authorizationUrl, FakeGoogleUser user, FakeIdTokenOptions? token = null)
    {
        var login = Guid.NewGuid().ToString("N");
        _logins[login] = new PendingLogin(user, token ?? new FakeIdTokenOptions());
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var response = await browser.GetAsync(QueryHelpers.AddQueryString(authorizationUrl, LoginParameter, login));
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Redirect,
            $"The fake provider refused the authorization request: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return response.Headers.Location!;
    }

    /// <summary>An ID token as Google's native sign-in would hand the app.</summary>
    public string CreateIdToken(FakeGoogleUser user, FakeIdTokenOptions? options = null)
    {
        options ??= new FakeIdTokenOptions();
        var issuedAt = options.IssuedAt ?? DateTimeOffset.UtcNow;
        var claims = new Dictionary<string, object>
        {
            ["sub"] = user.Subject,
            ["email"] = user.Email,
            ["email_verified"] = user.EmailVerified,
            ["name"] = user.Name,
            ["azp"] = options.Audience ?? ClientId,
        };
        if (options.Nonce is not null)
        {
            claims["nonce"] = options.Nonce;
        }
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = options.Issuer ?? Issuer,
            Audience = options.Audience ?? ClientId,
            Claims = claims,
            IssuedAt = issuedAt.UtcDateTime,
            NotBefore = issuedAt.UtcDateTime,
            Expires = (issuedAt + options.Lifetime).UtcDateTime,
        };
        if (!options.Unsigned)
        {
            var key = options.SignWithForeignKey ? _foreignKey : _publishedKeys[^1];
            descriptor.SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256);
        }
        return _tokens.CreateToken(descriptor);
    }

    /// <summary>Publishes a new key and signs with it from now on, as Google does every few weeks.</summary>
    public void RotateKey() => _publishedKeys = [.. _publishedKeys, NewKey($"fake-key-{_publishedKeys.Count + 1}")];

    private IResult Authorize(HttpRequest request)
    {
        var query = request.Query;
        if (query["client_id"] != ClientId || query["response_type"] != "code" || string.IsNullOrEmpty(query["redirect_uri"])
            || string.IsNullOrEmpty(query["code_challenge"]) || !_logins.TryRemove(query[LoginParameter].ToString(), out var login))
        {
            return Results.BadRequest("invalid authorization request");
        }
        var code = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        _codes[code] = new IssuedCode(login, query["client_id"]!, query["redirect_uri"]!, query["nonce"],
            query["code_challenge"]!, query["code_challenge_method"].ToString());
        return Results.Redirect(QueryHelpers.AddQueryString(query["redirect_uri"]!, new Dictionary<string, string?>
        {
            ["code"] = code,
            ["state"] = query["state"],
        }));
    }

    private async Task<IResult> TokenAsync(HttpRequest request)
    {
        Interlocked.Increment(ref _tokenRequests);
        if (Unavailable)
        {
            return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
        }
        var form = await request.ReadFormAsync();
        if (form["client_id"] != ClientId || form["client_secret"] != ClientSecret)
        {
            return TokenError(StatusCodes.Status401Unauthorized, "invalid_client", "client");
        }
        if (form["grant_type"] != "authorization_code" || !_codes.TryRemove(form["code"].ToString(), out var issued))
        {
            return TokenError(StatusCodes.Status400BadRequest, "invalid_grant", "code");
        }
        if (form["redirect_uri"] != issued.RedirectUri)
        {
            return TokenError(StatusCodes.Status400BadRequest, "invalid_grant", "redirect_uri");
        }
        var verifier = form["code_verifier"].ToString();
        var challenge = WebEncoders.Base64UrlEncode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        if (issued.CodeChallengeMethod != "S256" || verifier.Length < 43 || challenge != issued.CodeChallenge)
        {
            return TokenError(StatusCodes.Status400BadRequest, "invalid_grant", "code_verifier");
        }

        var options = issued.Login.Token;
        var idToken = CreateIdToken(issued.Login.User, options with { Nonce = options.Nonce ?? issued.Nonce });
        return Results.Json(new Dictionary<string, object>
        {
            ["access_token"] = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)),
            ["expires_in"] = 3599,
            ["token_type"] = "Bearer",
            ["scope"] = "openid email profile",
            ["id_token"] = idToken,
        });
    }

    private IResult TokenError(int status, string error, string reason)
    {
        _tokenErrors.Enqueue($"{error}: {reason}");
        return Results.Json(new Dictionary<string, string> { ["error"] = error, ["error_description"] = $"Bad {reason}." },
            statusCode: status);
    }

    /// <summary>Served even while <see cref="Unavailable"/>: Google's is a static document, the keys are what fail.</summary>
    private IResult Discovery() => Results.Json(new Dictionary<string, object>
    {
        ["issuer"] = Issuer,
        ["authorization_endpoint"] = AuthorizationEndpoint.ToString(),
        ["token_endpoint"] = TokenEndpoint.ToString(),
        ["jwks_uri"] = JwksUri.ToString(),
        ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
    });

    private IResult KeySet(HttpResponse response)
    {
        Interlocked.Increment(ref _keySetRequests);
        if (Unavailable)
        {
            return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
        }
        response.Headers.CacheControl = "public, max-age=3600";
        return Results.Json(new
        {
            keys = _publishedKeys.Select(key =>
            {
                var parameters = key.Rsa.ExportParameters(includePrivateParameters: false);
                return new Dictionary<string, string>
                {
                    ["kty"] = "RSA",
                    ["use"] = "sig",
                    ["alg"] = "RS256",
                    ["kid"] = key.KeyId,
                    ["n"] = Base64UrlEncoder.Encode(parameters.Modulus),
                    ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
                };
            }),
        });
    }

    private static RsaSecurityKey NewKey(string keyId) => new(RSA.Create(2048)) { KeyId = keyId };

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
