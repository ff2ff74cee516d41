using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kinder.Tests.Infrastructure;

namespace Kinder.Tests.Friends;

/// <summary>Friend requests and friendships made through the Api.</summary>
public static class FriendsDriver
{
    public static Task<HttpResponseMessage> AskAsync(this HttpClient client, Guid userId) =>
        client.PostAsJsonAsync("/api/v1/friends/requests", new { userId });

    public static async Task<Guid> SendRequestAsync(this HttpClient client, Guid userId)
    {
        var response = await client.AskAsync(userId);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("id").GetGuid();
    }

    public static async Task AcceptAsync(this HttpClient client, Guid requestId)
    {
        var response = await client.PostAsync($"/api/v1/friends/requests/{requestId}/accept", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>Makes the two friends: one asks, the other accepts.</summary>
    public static async Task BefriendAsync(this HttpClient asker, HttpClient answerer, Guid answererId) =>
        await answerer.AcceptAsync(await asker.SendRequestAsync(answererId));

    public static async Task<List<Guid>> FriendIdsAsync(this HttpClient client)
    {
        var page = await client.GetFromJsonAsync<JsonElement>("/api/v1/friends?limit=100");
        return page.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("id").GetGuid()).ToList();
    }

    public static async Task<List<Guid>> IdsAsync(this HttpClient client, string path)
    {
        var page = await client.GetFromJsonAsync<JsonElement>(path);
        return page.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("id").GetGuid()).ToList();
    }
}
