using System.Net.Http.Headers;
using System.Text.Json;
using Kinder.Core.Identity;

namespace Kinder.Tests.Infrastructure;

/// <summary>Users inserted into an <see cref="ApiFactory"/>'s database, and clients signed in as them.</summary>
public static class ApiFactoryUsers
{
    public static async Task<User> CreateUserAsync(this ApiFactory api, Action<User>? configure = null)
    {
        var user = new User
        {
            Email = $"user-{Guid.NewGuid():N}@example.test",
            DisplayName = "Test User",
            EmailVerified = true,
        };
        configure?.Invoke(user);
        await using var db = TestDatabases.CreateContext(api.DatabaseConnectionString);
        db.Users.Add(user);
        await db.SaveChangesAsync();
        return user;
    }

    public static HttpClient CreateClientFor(this ApiFactory api, User user)
    {
        var client = api.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.For(user).Token);
        return client;
    }

    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
}
