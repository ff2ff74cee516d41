using System.Net.Http.Headers;
using System.Text.Json;
using Kinder.Core.Identity;

namespace Kinder.Tests.Infrastructure;

/// <summary>Users (<see cref="TestUsers"/>) in an <see cref="ApiFactory"/>'s database, and clients signed in as them.</summary>
public static class ApiFactoryUsers
{
    public static Task<User> CreateUserAsync(this ApiFactory api, Action<User>? configure = null) =>
        TestUsers.CreateAsync(api.DatabaseConnectionString, configure);

    public static HttpClient CreateClientFor(this ApiFactory api, User user)
    {
        var client = api.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.For(user).Token);
        return client;
    }

    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
}
