using System.Net.Http.Json;
using System.Text.Json;
using Kinder.Tests.Chat;
using Kinder.Tests.Infrastructure;

namespace Kinder.Tests.Friends;

/// <summary>Finding people by display name: prefix first, typos forgiven, blocked and hidden people never shown.</summary>
public sealed class UserSearchTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    // Names unique to each test, so the tests of this class do not see each other's people — by prefix or by typo
    // forgiveness. Search forgives a word similarity of 0.4: two "Zq" + 6 hex surnames sharing their first two hex
    // digits score 0.44 (4 of 9 trigrams) and found each other's people (0.39 % of random pairs; CI saw it once). With
    // 16 hex digits such a pair scores under 0.25, and no random pair of 200,000 reached 0.4.
    private readonly string surname = "Zq" + Guid.NewGuid().ToString("N")[..16];

    [Fact]
    public async Task A_name_is_found_by_its_start_and_by_a_misspelling()
    {
        var (_, client) = await api.CreateChatUserAsync("Searcher");
        var (christopher, _) = await api.CreateChatUserAsync($"Christopher {surname}");

        var byPrefix = await NamesAsync(client, $"{surname[..5]}");
        var byTypo = await NamesAsync(client, "Christpher");

        Assert.Contains(christopher.Id, byPrefix);
        Assert.Contains(christopher.Id, byTypo);
    }

    [Fact]
    public async Task Prefix_matches_come_before_look_alikes_and_pages_follow_the_cursor()
    {
        var (_, client) = await api.CreateChatUserAsync("Searcher");
        var (exact, _) = await api.CreateChatUserAsync($"{surname}ina");
        var (other, _) = await api.CreateChatUserAsync($"{surname}o");

        var first = await client.GetFromJsonAsync<JsonElement>($"/api/v1/users/search?q={surname}&limit=1");
        var cursor = first.GetProperty("nextCursor").GetString();
        var second = await client.GetFromJsonAsync<JsonElement>($"/api/v1/users/search?q={surname}&limit=1&cursor={cursor}");

        var ids = new[] { first, second }.SelectMany(page => page.GetProperty("items").EnumerateArray())
            .Select(item => item.GetProperty("id").GetGuid()).ToList();
        Assert.Equal(2, ids.Distinct().Count());
        Assert.Contains(exact.Id, ids);
        Assert.Contains(other.Id, ids);
    }

    [Fact]
    public async Task Blocked_people_either_way_and_hidden_profiles_are_not_found()
    {
        var (searcher, client) = await api.CreateChatUserAsync("Searcher");
        var (visible, _) = await api.CreateChatUserAsync($"Visible {surname}");
        var (blockedBySearcher, _) = await api.CreateChatUserAsync($"Blocked {surname}");
        var (blocker, blockerClient) = await api.CreateChatUserAsync($"Blocker {surname}");
        var (hidden, hiddenClient) = await api.CreateChatUserAsync($"Hidden {surname}");
        await client.PostAsync($"/api/v1/users/{blockedBySearcher.Id}/block", null);
        await blockerClient.PostAsync($"/api/v1/users/{searcher.Id}/block", null);
        var hide = await hiddenClient.PutAsJsonAsync("/api/v1/users/preferences",
            new { privacy = new { profileVisibility = "nobody" } });
        Assert.True(hide.IsSuccessStatusCode, await hide.Content.ReadAsStringAsync());

        var found = await NamesAsync(client, surname);

        Assert.Equal([visible.Id], found);
        Assert.DoesNotContain(hidden.Id, found);
        Assert.DoesNotContain(blocker.Id, found);
    }

    [Fact]
    public async Task An_empty_query_is_a_validation_error()
    {
        var (_, client) = await api.CreateChatUserAsync("Searcher");

        var response = await client.GetAsync("/api/v1/users/search?q=%20");

        await response.AssertFieldErrorAsync("q");
    }

    private static async Task<List<Guid>> NamesAsync(HttpClient client, string q)
    {
        var page = await client.GetFromJsonAsync<JsonElement>($"/api/v1/users/search?q={Uri.EscapeDataString(q)}&limit=50");
        return page.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("id").GetGuid()).ToList();
    }
}
