using System.Net;
using System.Net.Http.Json;
using Kinder.Core;
using Kinder.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Tests.Profiles;

/// <summary>Profile: <c>GET/PUT /users/profile</c>.</summary>
public sealed class ProfileTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow);

    private static object ValidProfile(string displayName = "Ada Lovelace") => new
    {
        displayName,
        bio = "Likes engines.",
        birthDate = "1990-12-10",
        location = new { latitude = 52.52, longitude = 13.405, city = "Berlin" },
    };

    [Fact]
    public async Task Get_profile_answers_the_callers_own_profile()
    {
        var user = await api.CreateUserAsync(u => u.Bio = "Hello");

        var response = await api.CreateClientFor(user).GetAsync("/api/v1/users/profile");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.Equal(user.Id, body.GetProperty("id").GetGuid());
        Assert.Equal(user.Email, body.GetProperty("email").GetString());
        Assert.Equal("Hello", body.GetProperty("bio").GetString());
        Assert.False(body.GetProperty("onboardingCompleted").GetBoolean());
    }

    [Fact]
    public async Task Get_profile_without_a_token_is_401()
    {
        var response = await api.CreateClient().GetAsync("/api/v1/users/profile");

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
    }

    [Fact]
    public async Task Get_profile_of_a_deleted_account_is_401()
    {
        var user = await api.CreateUserAsync(u => u.DeletedAt = DateTimeOffset.UtcNow);

        var response = await api.CreateClientFor(user).GetAsync("/api/v1/users/profile");

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
    }

    [Fact]
    public async Task Put_profile_of_a_deleted_account_is_401()
    {
        var user = await api.CreateUserAsync(u => u.DeletedAt = DateTimeOffset.UtcNow);

        var response = await api.CreateClientFor(user).PutAsJsonAsync("/api/v1/users/profile", ValidProfile());

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
    }

    [Fact]
    public async Task Put_profile_saves_the_fields_and_answers_the_profile()
    {
        var user = await api.CreateUserAsync();

        var response = await api.CreateClientFor(user).PutAsJsonAsync("/api/v1/users/profile", ValidProfile());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.Equal("Ada Lovelace", body.GetProperty("displayName").GetString());
        Assert.Equal("Likes engines.", body.GetProperty("bio").GetString());
        Assert.Equal("1990-12-10", body.GetProperty("birthDate").GetString());
        var location = body.GetProperty("location");
        Assert.Equal(52.52, location.GetProperty("latitude").GetDouble(), 6);
        Assert.Equal(13.405, location.GetProperty("longitude").GetDouble(), 6);
        Assert.Equal("Berlin", location.GetProperty("city").GetString());
    }

    [Fact]
    public async Task Put_profile_stores_the_location_as_a_wgs84_point()
    {
        var user = await api.CreateUserAsync();

        await api.CreateClientFor(user).PutAsJsonAsync("/api/v1/users/profile", ValidProfile());

        await using var db = TestDatabases.CreateContext(api.DatabaseConnectionString);
        var stored = await db.Users.AsNoTracking().SingleAsync(u => u.Id == user.Id);
        Assert.NotNull(stored.Location);
        Assert.Equal(4326, stored.Location.SRID);
        Assert.Equal(13.405, stored.Location.X, 6);
        Assert.Equal(52.52, stored.Location.Y, 6);
        Assert.Equal("Berlin", stored.City);
    }

    [Fact]
    public async Task Put_profile_without_a_location_clears_it()
    {
        var user = await api.CreateUserAsync(u =>
        {
            u.Location = new NetTopologySuite.Geometries.Point(2.35, 48.85) { SRID = 4326 };
            u.City = "Paris";
        });

        var response = await api.CreateClientFor(user).PutAsJsonAsync("/api/v1/users/profile", new { displayName = "Ada" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False((await response.ReadJsonAsync()).TryGetProperty("location", out _));
        await using var db = TestDatabases.CreateContext(api.DatabaseConnectionString);
        var stored = await db.Users.AsNoTracking().SingleAsync(u => u.Id == user.Id);
        Assert.Null(stored.Location);
        Assert.Null(stored.City);
    }

    [Fact]
    public async Task Put_profile_without_a_token_is_401()
    {
        var response = await api.CreateClient().PutAsJsonAsync("/api/v1/users/profile", ValidProfile());

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
    }

    public static TheoryData<string, object> InvalidProfiles() => new()
    {
        { "displayName", new { displayName = "  " } },
        { "displayName", new { displayName = new string('a', 81) } },
        { "bio", new { displayName = "Ada", bio = new string('b', 1001) } },
        { "birthDate", new { displayName = "Ada", birthDate = Today.AddDays(1).ToString("yyyy-MM-dd") } },
        { "birthDate", new { displayName = "Ada", birthDate = Today.AddYears(-12).ToString("yyyy-MM-dd") } },
        { "location.latitude", new { displayName = "Ada", location = new { latitude = 90.5, longitude = 0 } } },
        { "location.longitude", new { displayName = "Ada", location = new { latitude = 0, longitude = -180.5 } } },
        { "location.latitude", new { displayName = "Ada", location = new { longitude = 10 } } },
        { "location.city", new { displayName = "Ada", location = new { latitude = 0, longitude = 0, city = new string('c', 121) } } },
    };

    [Theory]
    [MemberData(nameof(InvalidProfiles))]
    public async Task Put_profile_with_an_invalid_field_is_a_validation_error_naming_it(string field, object profile)
    {
        var user = await api.CreateUserAsync();

        var response = await api.CreateClientFor(user).PutAsJsonAsync("/api/v1/users/profile", profile);

        await response.AssertFieldErrorAsync(field);
    }

    [Fact]
    public async Task Put_profile_accepts_a_thirteen_year_old()
    {
        var user = await api.CreateUserAsync();

        var response = await api.CreateClientFor(user).PutAsJsonAsync("/api/v1/users/profile",
            new { displayName = "Teen", birthDate = Today.AddYears(-13).ToString("yyyy-MM-dd") });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
