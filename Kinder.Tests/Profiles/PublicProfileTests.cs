using System.Net;
using System.Net.Http.Json;
using Kinder.Core;
using Kinder.Core.Identity;
using Kinder.Tests.Infrastructure;
using NetTopologySuite.Geometries;

namespace Kinder.Tests.Profiles;

/// <summary>Profile: <c>GET /users/{id}</c> shows what the owner's privacy settings allow.</summary>
public sealed class PublicProfileTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private async Task<User> CreateOwnerAsync(object? privacy = null)
    {
        var owner = await api.CreateUserAsync(u =>
        {
            u.DisplayName = "Owner";
            u.Bio = "Runs on Sundays.";
            u.City = "Lisbon";
            u.Location = new Point(-9.14, 38.72) { SRID = 4326 };
            u.BirthDate = new DateOnly(1990, 1, 1);
        });
        var response = await api.CreateClientFor(owner).PutAsJsonAsync("/api/v1/users/preferences",
            new { interests = new[] { 101, 801 }, privacy });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return owner;
    }

    private async Task<HttpResponseMessage> ViewAsync(User owner) =>
        await api.CreateClientFor(await api.CreateUserAsync()).GetAsync($"/api/v1/users/{owner.Id}");

    [Fact]
    public async Task A_public_profile_shows_name_bio_city_and_interests_but_no_email_coordinates_or_birth_date()
    {
        var owner = await CreateOwnerAsync();

        var response = await ViewAsync(owner);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.Equal(owner.Id, body.GetProperty("id").GetGuid());
        Assert.Equal("Owner", body.GetProperty("displayName").GetString());
        Assert.Equal("Runs on Sundays.", body.GetProperty("bio").GetString());
        Assert.Equal("Lisbon", body.GetProperty("city").GetString());
        Assert.Equal(["running", "board_games"],
            body.GetProperty("interests").EnumerateArray().Select(i => i.GetProperty("slug").GetString()));
        Assert.False(body.TryGetProperty("email", out _));
        Assert.False(body.TryGetProperty("location", out _));
        Assert.False(body.TryGetProperty("birthDate", out _));
        Assert.False(body.TryGetProperty("age", out _)); // showAge is off by default
    }

    [Fact]
    public async Task A_profile_visible_to_nobody_is_404_to_others()
    {
        var owner = await CreateOwnerAsync(new { profileVisibility = "nobody" });

        var response = await ViewAsync(owner);

        await response.AssertProblemAsync(HttpStatusCode.NotFound, ErrorCodes.NotFound);
    }

    [Fact]
    public async Task The_owner_still_sees_their_own_hidden_profile()
    {
        var owner = await CreateOwnerAsync(new { profileVisibility = "nobody", showCity = false });

        var response = await api.CreateClientFor(owner).GetAsync($"/api/v1/users/{owner.Id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Lisbon", (await response.ReadJsonAsync()).GetProperty("city").GetString());
    }

    [Fact]
    public async Task Hiding_the_city_leaves_it_out()
    {
        var owner = await CreateOwnerAsync(new { showCity = false });

        var body = await (await ViewAsync(owner)).ReadJsonAsync();

        Assert.False(body.TryGetProperty("city", out _), body.ToString());
        Assert.Equal("Owner", body.GetProperty("displayName").GetString());
    }

    [Fact]
    public async Task Hiding_interests_leaves_them_out()
    {
        var owner = await CreateOwnerAsync(new { showInterests = false });

        var body = await (await ViewAsync(owner)).ReadJsonAsync();

        Assert.False(body.TryGetProperty("interests", out _), body.ToString());
    }

    [Fact]
    public async Task Showing_the_age_gives_the_age_not_the_birth_date()
    {
        var owner = await CreateOwnerAsync(new { showAge = true });

        var body = await (await ViewAsync(owner)).ReadJsonAsync();

        Assert.Equal(DateTime.UtcNow.Year - 1990, body.GetProperty("age").GetInt32()); // born on 1 January

        Assert.False(body.TryGetProperty("birthDate", out _));
    }

    [Fact]
    public async Task An_unknown_user_is_404()
    {
        var response = await api.CreateClientFor(await api.CreateUserAsync()).GetAsync($"/api/v1/users/{Guid.NewGuid()}");

        await response.AssertProblemAsync(HttpStatusCode.NotFound, ErrorCodes.NotFound);
    }

    [Fact]
    public async Task A_deleted_user_is_404()
    {
        var owner = await api.CreateUserAsync(u => u.DeletedAt = DateTimeOffset.UtcNow);

        var response = await ViewAsync(owner);

        await response.AssertProblemAsync(HttpStatusCode.NotFound, ErrorCodes.NotFound);
    }

    [Fact]
    public async Task A_public_profile_needs_a_token()
    {
        var owner = await CreateOwnerAsync();

        var response = await api.CreateClient().GetAsync($"/api/v1/users/{owner.Id}");

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
    }

    [Fact]
    public async Task Hiding_a_profile_takes_effect_at_once()
    {
        var owner = await CreateOwnerAsync();
        Assert.Equal(HttpStatusCode.OK, (await ViewAsync(owner)).StatusCode);

        await api.CreateClientFor(owner).PutAsJsonAsync("/api/v1/users/preferences",
            new { privacy = new { profileVisibility = "nobody" } });

        Assert.Equal(HttpStatusCode.NotFound, (await ViewAsync(owner)).StatusCode);
    }
}
