using System.Net;
using Kinder.Tests.Infrastructure;

namespace Kinder.Tests.Onboarding;

/// <summary>Onboarding: <c>GET /onboarding/interests</c>, the catalog seeded by migration.</summary>
public sealed class InterestCatalogTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task The_catalog_is_open_without_a_token()
    {
        var response = await api.CreateClient().GetAsync("/api/v1/onboarding/interests");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task The_catalog_has_at_least_thirty_interests_in_at_least_eight_groups()
    {
        var interests = (await (await api.CreateClient().GetAsync("/api/v1/onboarding/interests")).ReadJsonAsync())
            .EnumerateArray().ToList();

        Assert.True(interests.Count >= 30, $"{interests.Count} interests");
        Assert.True(interests.Select(i => i.GetProperty("group").GetString()).Distinct().Count() >= 8);
    }

    [Fact]
    public async Task Each_interest_has_a_unique_id_and_slug_a_name_and_a_group()
    {
        var interests = (await (await api.CreateClient().GetAsync("/api/v1/onboarding/interests")).ReadJsonAsync())
            .EnumerateArray().ToList();

        Assert.All(interests, interest =>
        {
            Assert.True(interest.GetProperty("id").GetInt32() > 0);
            Assert.Matches("^[a-z][a-z_]*$", interest.GetProperty("slug").GetString());
            Assert.False(string.IsNullOrWhiteSpace(interest.GetProperty("name").GetString()));
            Assert.False(string.IsNullOrWhiteSpace(interest.GetProperty("group").GetString()));
        });
        Assert.Equal(interests.Count, interests.Select(i => i.GetProperty("id").GetInt32()).Distinct().Count());
        Assert.Equal(interests.Count, interests.Select(i => i.GetProperty("slug").GetString()).Distinct().Count());
    }

    [Fact]
    public async Task Ids_are_stable()
    {
        var interests = (await (await api.CreateClient().GetAsync("/api/v1/onboarding/interests")).ReadJsonAsync())
            .EnumerateArray().ToDictionary(i => i.GetProperty("slug").GetString()!, i => i.GetProperty("id").GetInt32());

        // Stored preferences and event categories refer to these ids: they never move.
        Assert.Equal(101, interests["running"]);
        Assert.Equal(201, interests["hiking"]);
        Assert.Equal(601, interests["programming"]);
        Assert.Equal(801, interests["board_games"]);
    }
}
