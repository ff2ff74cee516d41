using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Kinder.Api.Identity.Google;

/// <summary>
/// What a started sign-in remembers until its callback: never sent to the browser, except the state key. In redirect
/// mode, <paramref name="BrowserBinding"/> is the hash of the binding cookie given to the browser that started it.
/// </summary>
public sealed record GoogleSignInState(string Nonce, string CodeVerifier, string CallbackUri, string? RedirectUri,
    string? BrowserBinding = null);

/// <summary>
/// Started sign-ins, in Redis so any Api instance can take the callback. Each is keyed by its random <c>state</c>,
/// expires after <see cref="GoogleOptions.StateLifetime"/> and is taken with GETDEL, so it can be used once.
/// </summary>
public sealed class GoogleSignInStates(IConnectionMultiplexer redis, IOptions<GoogleOptions> options)
{
    public static string Key(string state) => $"kinder:google-sign-in:{state}";

    /// <summary>Stores a new sign-in and returns its state value.</summary>
    public async Task<string> StartAsync(GoogleSignInState signIn)
    {
        var state = RandomValue();
        await redis.GetDatabase().StringSetAsync(Key(state), JsonSerializer.Serialize(signIn), options.Value.StateLifetime);
        return state;
    }

    /// <summary>The sign-in the state belongs to, removed so it cannot be used again; null when unknown, used or expired.</summary>
    public async Task<GoogleSignInState?> TakeAsync(string state)
    {
        var value = await redis.GetDatabase().StringGetDeleteAsync(Key(state));
        return value.IsNullOrEmpty ? null : JsonSerializer.Deserialize<GoogleSignInState>(value.ToString());
    }

    /// <summary>The binding cookie's value as stored: its SHA-256, base64url.</summary>
    public static string BindingHash(string cookieValue) =>
        WebEncoders.Base64UrlEncode(SHA256.HashData(Encoding.UTF8.GetBytes(cookieValue)));

    /// <summary>32 random bytes, base64url: a state, a nonce, or a PKCE code verifier (RFC 7636 §4.1: 43 characters).</summary>
    public static string RandomValue() => WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));

    /// <summary>The PKCE S256 challenge for a verifier (RFC 7636 §4.2).</summary>
    public static string CodeChallenge(string codeVerifier) =>
        WebEncoders.Base64UrlEncode(SHA256.HashData(Encoding.ASCII.GetBytes(codeVerifier)));
}
