using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kinder.Core.Data;
using Kinder.Core.Identity;
using Kinder.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Tests.Identity.Google;

/// <summary>Plays the app and the browser in a Google sign-in against the Api and its fake provider.</summary>
public sealed class GoogleSignInDriver(GoogleApiFactory api)
{
    /// <summary>Never follows redirects: the tests look at them.</summary>
    public HttpClient Client { get; } = api.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    /// <summary>
    /// A browser of its own over https (redirect mode's binding cookie is Secure), keeping its cookies; redirect-mode
    /// sign-ins go through it.
    /// </summary>
    public HttpClient Browser { get; } = api.CreateClient(new WebApplicationFactoryClientOptions
    {
        AllowAutoRedirect = false,
        BaseAddress = new Uri("https://localhost"),
    });

    public FakeGoogleProvider Google => api.Google;

    public async Task<string> StartAsync(string? redirectUri = null)
    {
        var client = redirectUri is null ? Client : Browser;
        var response = await client.PostAsJsonAsync("/api/v1/auth/google/login", new { redirectUri });
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("authorizationUrl").GetString()!;
    }

    /// <summary>Login → the user signs in at the fake → the callback; returns the callback's answer.</summary>
    public async Task<HttpResponseMessage> SignInAsync(FakeGoogleUser user, FakeIdTokenOptions? token = null, string? redirectUri = null)
    {
        var callback = await Google.SignInAsync(await StartAsync(redirectUri), user, token);
        return await (redirectUri is null ? Client : Browser).GetAsync(callback);
    }

    public async Task<JsonElement> SignInAndReadSessionAsync(FakeGoogleUser user)
    {
        var response = await SignInAsync(user);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public KinderDbContext Database() => TestDatabases.CreateContext(api.DatabaseConnectionString);

    public async Task<User> SeedUserAsync(string email, bool emailVerified, string? passwordHash = "$2a$11$not-a-real-hash")
    {
        return await TestUsers.CreateAsync(api.DatabaseConnectionString, user =>
        {
            user.Email = email;
            user.DisplayName = "Existing";
            user.PasswordHash = passwordHash;
            user.EmailVerified = emailVerified;
        });
    }

    public async Task<List<User>> UsersWithEmailAsync(string email)
    {
        await using var db = Database();
        return await db.Users.AsNoTracking().Where(user => user.Email == email).ToListAsync();
    }

    public static Dictionary<string, string> QueryOf(string url) =>
        QueryHelpers.ParseQuery(new Uri(url).Query).ToDictionary(pair => pair.Key, pair => pair.Value.ToString());
}
